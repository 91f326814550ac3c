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
import type { AuditDetail } from '$lib/server/queries/audit';
import { roleInText } from './roles';
import { englishPieces } from '../../../../tests/support/catalogue';

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

/** The `{ ... }` of every `.audit({ ... })` call in the server's source. */
const auditCalls = (): string[] =>
	sourceFiles(SERVER).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\.audit\(\s*\{([\s\S]*?)\}\s*[,)]/g)].map((c) => c[1]!));

function auditedActions(): Set<string> {
	const actions = new Set<string>();
	for (const call of auditCalls()) {
		const action = /action:\s*([^,\n]+)/.exec(call)?.[1] ?? '';
		for (const [, literal] of action.matchAll(/'([a-z_]+\.[a-z_.]+)'/g)) actions.add(literal!);
		for (const [, template] of action.matchAll(/`([^`]+)`/g)) {
			const name = /\$\{(\w+)\}/.exec(template!)?.[1];
			for (const value of EXPANSIONS[name ?? ''] ?? []) actions.add(template!.replace(/\$\{\w+\}/, value));
		}
	}
	return actions;
}

/** Words a service writes into an entry's target itself (string literals, a template's own text). */
function wordsInTargets(): string[] {
	return auditCalls().flatMap((call) => {
		const target = /\btarget:\s*(.+?)(?:,\s*\w+:|$)/m.exec(call)?.[1] ?? '';
		const literals = [...target.matchAll(/'([^']*)'|`([^`]*)`/g)].map(([, quoted, template]) =>
			(quoted ?? template!).replace(/\$\{[^}]*\}/g, '')
		);
		return literals.filter((text) => /\p{L}{2}/u.test(text));
	});
}

describe('audit texts', () => {
	const actions = auditedActions();

	it('finds the actions the services write', () => {
		expect(actions.size).toBeGreaterThan(60);
		expect(actions).toContain('event.create');
		expect(actions).toContain('series.delete.future');
		expect(actions).toContain('site.suspend');
	});

	it('no service writes words of its own into a target (they would stay in its language)', () => {
		expect(wordsInTargets()).toEqual([]);
	});

	it.each(locales)('every audited action reads as a sentence in %s, never as its code', (locale) => {
		const coded = [...actions].filter((action) => withLocale(locale, () => auditText(action, 'X')) === `${action} X`);
		expect(coded).toEqual([]);
		expect(withLocale(locale, () => auditActorName('system'))).not.toBe('system');
	});
});

describe('audit entries with detail, and the older rows that said it in English', () => {
	/** An entry as written now, and the same change as an older row wrote it (its target in English). */
	const PAIRS: Array<[string, [string, AuditDetail], string]> = [
		['member.invite', ['', { role: 'editor', via: 'link' }], 'invite link as editor'],
		['member.invite', ['', { role: 'owner', via: 'email' }], 'invite link by e-mail as owner'],
		['member.invite', ['4242', { role: 'admin', via: 'discord' }], 'Discord 4242 as admin'],
		['member.invite_revoke', ['', { role: 'editor' }], 'editor'],
		['member.role', ['Ana: B', { from: 'editor', to: 'owner' }], 'Ana: B: editor → owner'],
		['member.remove', ['Ana (Berlin)', { role: 'editor' }], 'Ana (Berlin) (editor)'],
		['member.join', ['Ana', { role: 'editor', via: 'invitation' }], 'Ana as editor (invitation)'],
		['member.join', ['Ana', { role: 'owner', via: 'link' }], 'Ana as owner (invite link)'],
		['discord.events', ['', { sync: 'on' }], 'sync on'],
		['discord.events', ['', { sync: 'off' }], 'sync off'],
		['branding.update', ['', {}], 'colours and fonts'],
		['follower.remove', ['', {}], 'a follower'],
		['asset.upload', ['', {}], 'event'],
		['asset.delete', ['', {}], 'logo']
	];
	/** What the old English targets said ("editor" is Spanish too): none of it may reach another language's feed. */
	const ENGLISH = /\b(owner|invite link|e-mail as|invitation\)|colours|fonts|moved (up|down)|a follower|sync (on|off)|logo|event)\b/i;

	it.each(locales)('an entry and its older row read the same in %s', (locale) => {
		withLocale(locale, () => {
			for (const [action, [target, detail], old] of PAIRS) {
				expect(auditText(action, old), `${action} ${old}`).toBe(auditText(action, target, detail));
			}
		});
	});

	it.each(locales.filter((l) => l !== 'en'))('no English from a target or a role code in %s', (locale) => {
		const english = englishPieces('admin/', locale);
		const texts = withLocale(locale, () => [
			...PAIRS.map(([action, [target, detail]]) => auditText(action, target, detail)),
			auditText('links.move', '', { direction: 'down' }),
			auditText('links.move', '', { direction: 'up' }),
			auditText('links.update', 'moved down'),
			auditText('links.delete', 'Tickets')
		]);
		for (const text of texts) {
			expect(text).not.toMatch(ENGLISH);
			expect(
				english.filter((piece) => text.includes(piece)),
				text
			).toEqual([]);
		}
		// The role is said in the reader's language.
		expect(texts[4]).toContain(withLocale(locale, () => roleInText('owner')));
	});

	it('an entry keeps its owner’s words: a name that looks like an older row’s is not read as one', () => {
		expect(auditText('member.remove', 'Ana (editor)', { role: 'admin' })).toBe('removed Ana (editor) (admin) from the team');
		expect(auditText('links.delete', 'Tickets')).toBe('deleted the link Tickets');
		expect(auditText('asset.upload', 'poster.jpg')).toBe('uploaded poster.jpg');
	});
});
