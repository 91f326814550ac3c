/**
 * Every language has every message, no stray ones, the same {parameters} as English, and no
 * empty text: a missing translation fails CI here instead of showing a key on a German site.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseLocale, locales, LOCALE_NAMES, localeSchema, textDirection } from './i18n';

const MESSAGES = path.resolve(import.meta.dirname, '../../messages');
/** Each message as text: plain strings, and plural variants (ICU rules, Intl.PluralRules) as their JSON. */
const read = (locale: string): Record<string, string> => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(path.join(MESSAGES, `${locale}.json`), 'utf8'));
	return Object.fromEntries(Object.entries(messages).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
};
/** The {parameters} a message uses (each once), declarations of variants included. */
const params = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('messages', () => {
	const base = read(baseLocale);

	it('ships English, German, French, Spanish and Dutch, each with a file and a name', () => {
		expect([...locales].sort()).toEqual(['de', 'en', 'es', 'fr', 'nl']);
		expect(readdirSync(MESSAGES).sort()).toEqual(locales.map((l) => `${l}.json`).sort());
		for (const l of locales) expect(LOCALE_NAMES[l]).toBeTruthy();
		expect(localeSchema.safeParse('xx').success).toBe(false);
		expect(textDirection('de')).toBe('ltr');
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
