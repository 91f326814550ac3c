/**
 * Every action a service writes to the audit log reads as a sentence on the activity feeds, in
 * every language: the log's codes are found in the server's source, so a new action without a
 * text fails here instead of showing as `discord.events sync on` on a German dashboard.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActorName, auditText } from './audit-text';
import { withLocale } from '$lib/server/i18n';
import { locales } from '$lib/i18n';

const SERVER = path.resolve(import.meta.dirname, '../../server');
/** What the template literals of audit actions stand for. */
const EXPANSIONS: Record<string, string[]> = {
	kind: ['event', 'page', 'home', 'series'],
	scope: ['all', 'future'],
	slot: ['logo', 'background'],
	what: ['retry', 'cancel']
};

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? sourceFiles(path.join(dir, e.name))
			: e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
				? [path.join(dir, e.name)]
				: []
	);
}

function auditedActions(): Set<string> {
	const actions = new Set<string>();
	for (const file of sourceFiles(SERVER)) {
		const text = readFileSync(file, 'utf8');
		for (const call of text.matchAll(/\.audit\(\{([\s\S]*?)\}\)/g)) {
			const action = /action:\s*([^,\n]+)/.exec(call[1]!)?.[1] ?? '';
			for (const [, literal] of action.matchAll(/'([a-z_]+\.[a-z_.]+)'/g)) actions.add(literal!);
			for (const [, template] of action.matchAll(/`([^`]+)`/g)) {
				const name = /\$\{(\w+)\}/.exec(template!)?.[1];
				for (const value of EXPANSIONS[name ?? ''] ?? []) actions.add(template!.replace(/\$\{\w+\}/, value));
			}
		}
	}
	return actions;
}

describe('audit texts', () => {
	const actions = auditedActions();

	it('finds the actions the services write', () => {
		expect(actions.size).toBeGreaterThan(60);
		expect(actions).toContain('event.create');
		expect(actions).toContain('series.delete.future');
	});

	it.each(locales)('every audited action reads as a sentence in %s, never as its code', (locale) => {
		const coded = [...actions].filter((action) => withLocale(locale, () => auditText(action, 'X')) === `${action} X`);
		expect(coded).toEqual([]);
		expect(withLocale(locale, () => auditActorName('system'))).not.toBe('system');
	});
});
