/**
 * Every language has every message, no stray ones, the same {parameters} as English, and no
 * empty text: a missing translation fails CI here instead of showing a key on a German site.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseLocale, locales, LOCALE_NAMES, localeSchema, textDirection } from './i18n';

const MESSAGES = path.resolve(import.meta.dirname, '../../messages');
/** Areas of the product with their own files (`messages/<area>/<locale>.json`), so that features
 * written side by side do not all edit one file; the public site's texts sit in `messages/<locale>.json`. */
const AREAS = readdirSync(MESSAGES, { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.map((d) => d.name)
	.sort();
const readFile = (file: string): Record<string, string> => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(path.join(MESSAGES, file), 'utf8'));
	return Object.fromEntries(Object.entries(messages).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
};
/** Each message of a language as text: plain strings, and plural variants (ICU rules,
 * Intl.PluralRules) as their JSON; every area's file merged. */
const read = (locale: string): Record<string, string> =>
	Object.assign({}, readFile(`${locale}.json`), ...AREAS.map((area) => readFile(`${area}/${locale}.json`)));
/** The {parameters} a message uses (each once), declarations of variants included. */
const params = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('messages', () => {
	const base = read(baseLocale);

	it('ships English, German, French, Spanish and Dutch, each with a file and a name', () => {
		expect([...locales].sort()).toEqual(['de', 'en', 'es', 'fr', 'nl']);
		const files = (dir: string) => readdirSync(path.join(MESSAGES, dir)).filter((f) => f.endsWith('.json'));
		for (const dir of ['', ...AREAS]) expect(files(dir).sort(), dir).toEqual(locales.map((l) => `${l}.json`).sort());
		for (const l of locales) expect(LOCALE_NAMES[l]).toBeTruthy();
		expect(localeSchema.safeParse('xx').success).toBe(false);
		expect(textDirection('de')).toBe('ltr');
	});

	it('every area is compiled, and its keys carry its name (so two areas never claim one key)', () => {
		// A key is a JavaScript name: the area `site-admin` prefixes its keys `site_admin_`.
		const prefix = (area: string) => `${area.replaceAll('-', '_')}_`;
		const settings = JSON.parse(readFileSync(path.join(MESSAGES, '../project.inlang/settings.json'), 'utf8'));
		expect([...settings['plugin.inlang.messageFormat'].pathPattern].sort()).toEqual(
			['./messages/{locale}.json', ...AREAS.map((a) => `./messages/${a}/{locale}.json`)].sort()
		);
		for (const area of AREAS)
			for (const key of Object.keys(readFile(`${area}/${baseLocale}.json`)))
				expect(key.startsWith(prefix(area)), `${area}: ${key}`).toBe(true);
	});

	for (const locale of locales) {
		it(`${locale}: every key, no extra key, same parameters, no empty text`, () => {
			const messages = read(locale);
			expect(Object.keys(messages).sort()).toEqual(Object.keys(base).sort());
			for (const [key, text] of Object.entries(messages)) {
				expect(text.trim(), `${locale}.${key}`).not.toBe('');
				expect(params(text), `${locale}.${key}`).toEqual(params(base[key]!));
			}
		});
	}

	it('translations are translations: most differ from English', () => {
		for (const locale of locales.filter((l) => l !== baseLocale)) {
			const messages = read(locale);
			const same = Object.keys(base).filter((k) => messages[k] === base[k]);
			// A few words are the same in several languages (Details, Tickets, "{site} online").
			expect(same.length, `${locale}: ${same.join(', ')}`).toBeLessThan(Object.keys(base).length / 8);
		}
	});
});
