/**
 * A small self-contained HTML page for answers given before any site is known (no site here,
 * paused, unavailable) or before a page could render: no platform internals, no stack trace,
 * readable on any screen, in the language of the request (i18n.ts; `localeOf` for answers given
 * before the `language` handle has run).
 */
import { escapeHtml } from './escape';
import { requestLocale } from './i18n';
import { textDirection } from '../i18n';
import { m } from '../paraglide/messages';

export function plainPageHtml(title: string, message: string): string {
	const lang = requestLocale();
	return `<!doctype html>
<html lang="${lang}" dir="${textDirection(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f4ef;color:#1d1d1f;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:32rem;padding:2rem;overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:0 0 .5rem}
p{margin:0;color:#4a4a4f}
@media (prefers-color-scheme:dark){body{background:#17171a;color:#f2f2f2}p{color:#c5c5cc}}
</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body>
</html>
`;
}

export function plainPage(status: number, title: string, message: string, headers: Record<string, string> = {}): Response {
	return new Response(plainPageHtml(title, message), {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});
}

/** The page title for a status (one title per status, not per error code). */
const STATUS_TITLE: Record<number, () => string> = {
	400: m.plain_title_400,
	401: m.plain_title_401,
	403: m.plain_title_403,
	404: m.plain_title_404,
	409: m.plain_title_409,
	410: m.plain_title_410,
	413: m.plain_title_413,
	415: m.plain_title_415,
	422: m.plain_title_415,
	429: m.plain_title_429,
	503: m.plain_title_503
};

export const statusTitle = (status: number): string => (STATUS_TITLE[status] ?? m.plain_title_other)();

/** The plain pages the hub answers by itself, each with its status and headers in one place. */
export const plainPages = {
	/** The database cannot be reached (or the wait for a connection ran out). */
	unavailable: () => plainPage(503, m.plain_title_503(), m.plain_unavailable_text(), { 'retry-after': '30' }),
	/** An unknown host; shared caches may keep it briefly, per language. */
	noSite: () =>
		plainPage(404, m.plain_no_site_title(), m.plain_no_site_text(), { 'cache-control': 'public, max-age=60', vary: 'Accept-Language' }),
	notFound: () => plainPage(404, m.plain_title_404(), m.plain_not_found_text()),
	/** A worker process (ROLE=worker) asked for anything but its health checks. */
	workerOnly: () => plainPage(404, m.plain_title_404(), m.plain_worker_only_text()),
	/** The hub's view of a site (/sites/<slug>/admin) names no site. */
	noSuchSite: () => plainPage(404, m.plain_title_404(), m.plain_no_such_site_text()),
	severalHosts: () => plainPage(400, m.plain_title_400(), m.plain_several_hosts_text()),
	formRefused: () => plainPage(403, m.plain_form_refused_title(), m.plain_form_refused_text()),
	tooManyAttempts: (retryAfter: string) =>
		plainPage(429, m.plain_too_many_attempts_title(), m.plain_too_many_attempts_text(), { 'retry-after': retryAfter })
};
