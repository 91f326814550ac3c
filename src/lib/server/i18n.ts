/**
 * The language of the request being answered. Paraglide's message functions ask `getLocale()`;
 * on the server that reads this request's language (set by the `language` handle in
 * hooks.server.ts: a public site's own language), so concurrent requests for sites in different
 * languages never mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { baseLocale, overwriteGetLocale, type Locale } from '../paraglide/runtime';

const current = new AsyncLocalStorage<Locale>();
overwriteGetLocale(() => current.getStore() ?? baseLocale);

export function withLocale<T>(locale: Locale, fn: () => T): T {
	return current.run(locale, fn);
}
