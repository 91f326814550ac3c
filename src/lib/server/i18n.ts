/**
 * The language of the request being answered. Paraglide's message functions ask `getLocale()`;
 * on the server that reads this request's language, so concurrent requests in different
 * languages never mix. Two kinds of pages, two sources (set by the `language` handle in
 * hooks.server.ts, then by the session handle once it knows who is signed in):
 *
 * - a public site page: the site's own language (site.locale);
 * - the admin, the hub panel, sign-in, invitations: the person's language — the one they chose
 *   (user.locale), else a guess from Accept-Language among the shipped languages, else the
 *   site's language, else English. `personalLocale` is that rule.
 *
 * Services resolve their texts (AppError messages, zod field errors) through the same
 * `getLocale()`, so an error reaches the person in their language without services knowing
 * about requests (docs/translating.md "Errors from services").
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestEvent } from '@sveltejs/kit';
import { baseLocale, extractLocaleFromHeader, overwriteGetLocale, type Locale } from '../paraglide/runtime';
import { isLocale } from '../i18n';
import { isPublicPath } from '../route-namespaces';

interface RequestLanguage {
	locale: Locale;
}

const current = new AsyncLocalStorage<RequestLanguage>();
overwriteGetLocale(() => current.getStore()?.locale ?? baseLocale);

/** Run `fn` (and everything it awaits) in `locale`. */
export function withLocale<T>(locale: Locale, fn: () => T): T {
	return current.run({ locale }, fn);
}

/**
 * Change the language of the request being answered (inside withLocale): the session handle
 * does this once it knows the signed-in person's choice. Outside a request it does nothing.
 */
export function setRequestLocale(locale: Locale): void {
	const store = current.getStore();
	if (store) store.locale = locale;
}

/** The request's language now (read when the page is finished, for `<html lang>`). */
export function requestLocale(): Locale {
	return current.getStore()?.locale ?? baseLocale;
}

/** The best shipped language for an Accept-Language header (quality values honoured), if any. */
export function acceptedLocale(request: Request): Locale | undefined {
	try {
		return extractLocaleFromHeader(request);
	} catch {
		return undefined;
	}
}

/**
 * A person's language for the admin and the hub: their choice, else Accept-Language, else the
 * site's language, else English. A stored value that is no longer shipped is ignored.
 */
export function personalLocale(choice: string | null | undefined, request: Request, siteLocale?: Locale | null): Locale {
	if (isLocale(choice)) return choice;
	return acceptedLocale(request) ?? siteLocale ?? baseLocale;
}

/**
 * The language a request is answered in before anyone is signed in: a public site page speaks
 * its site's language; everything else (admin, hub, sign-in) the person's, guessed from
 * Accept-Language (the `session` handle settles it once it knows them). The `language` handle
 * uses it, and so do the plain pages answered outside that handle (no site, an outage).
 */
export function localeOf(event: Pick<RequestEvent, 'locals' | 'request' | 'url'>): Locale {
	const site = event.locals.site;
	return site && !event.locals.isHub && isPublicPath(event.url.pathname) ? site.locale : personalLocale(null, event.request, site?.locale);
}
