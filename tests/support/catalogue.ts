/**
 * What the language browser tests compare a page against: the message catalogues (messages/) and
 * the text a reader or screen reader gets from the page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const MESSAGES = path.resolve(import.meta.dirname, '../../messages');

/** A catalogue's texts (`file` under messages/, e.g. `admin/fr.json`): plain strings and every variant of a plural. */
export function catalogue(file: string): Map<string, string[]> {
	const json = JSON.parse(readFileSync(path.join(MESSAGES, file), 'utf8')) as Record<string, unknown>;
	const texts = (v: unknown): string[] =>
		typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap((x) => Object.values((x as { match: Record<string, string> }).match)) : [];
	return new Map(
		Object.entries(json)
			.filter(([k]) => k !== '$schema')
			.map(([k, v]) => [k, texts(v)])
	);
}

/**
 * The pieces of English UI text that would give away an untranslated string: each message's
 * literal parts around its {parameters}, long enough to mean something, and not also the other
 * language's text of that message ("Tickets", "Instagram" are the same word). `prefix` is the
 * area's folder with its slash (`admin/`), or '' for the public catalogue.
 */
export function englishPieces(prefix: string, other: string): string[] {
	const en = catalogue(`${prefix}en.json`);
	const them = catalogue(`${prefix}${other}.json`);
	const pieces = new Set<string>();
	for (const [key, texts] of en) {
		const theirs = (them.get(key) ?? []).join(' ');
		for (const text of texts)
			for (const piece of text.split(/\{\w+\}/))
				if (piece.trim().length >= 6 && !theirs.includes(piece.trim()) && /[a-z]{3}/.test(piece)) pieces.add(piece.trim());
	}
	return [...pieces];
}

/** What a reader (or a screen reader) gets from the page: its text, title and labels. */
export const pageText = (page: Page) =>
	page.evaluate(() =>
		[
			document.title,
			document.body.innerText,
			...[...document.querySelectorAll('[aria-label], [alt], [title], [placeholder]')].flatMap((el) =>
				['aria-label', 'alt', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? '')
			)
		].join('\n')
	);
