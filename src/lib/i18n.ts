/**
 * The languages a site can be in, and how each names itself. Messages live in
 * messages/<locale>.json (Paraglide compiles them into src/lib/paraglide); docs/translating.md
 * says how to add a language.
 */
import { z } from 'zod';
import { baseLocale, locales, type Locale } from './paraglide/runtime';
import { m } from './paraglide/messages';

export { baseLocale, locales, type Locale };

/** Each language in its own name, for the language picker. */
export const LOCALE_NAMES: Record<Locale, string> = {
	en: 'English',
	de: 'Deutsch',
	fr: 'Français',
	es: 'Español',
	nl: 'Nederlands'
};

export const localeSchema = z.enum(locales as unknown as [Locale, ...Locale[]], { error: () => m.admin_error_choose_language() });

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Text direction of a language (none of the shipped ones is right-to-left yet). */
export function textDirection(locale: Locale): 'ltr' | 'rtl' {
	return ['ar', 'he', 'fa', 'ur'].includes(locale.split('-')[0]!) ? 'rtl' : 'ltr';
}

/**
 * The Intl locale for dates and times: the site's language, and for English the variant whose
 * clock people in the site's zone expect (12-hour in the US, 24-hour elsewhere).
 */
export function intlLocale(locale: Locale, timeZone: string): string {
	if (locale !== 'en') return locale;
	return /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Detroit|Boise|Indiana|Kentucky|North_Dakota|Adak|Juneau|Sitka|Metlakatla|Nome|Yakutat|Menominee|Puerto_Rico)|US\/|Pacific\/Honolulu)/.test(
		timeZone
	)
		? 'en-US'
		: 'en-GB';
}
