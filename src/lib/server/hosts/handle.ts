/**
 * The `resolveSite` handle: the one place that reads the request's host. It sets
 * `locals.host`, `locals.site` and `locals.isHub`, or answers by itself: the plain 404 "no site
 * here", a 301 to the site's primary hostname (not for the paths of a fediverse actor that lived
 * on this host: fediverse/move.ts), a pending domain's verification token, or a 503 when the
 * database cannot be reached for a host not cached yet.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { env } from '../env';
import { log } from '../log';
import { isDatabaseUnavailable } from '../errors';
import { noteDatabaseError } from '../db/health';
import { plainPages } from '../plain-page';
import { localeOf, withLocale } from '../i18n';
import { publicOrigin } from '../urls';
import { hubSiteSlug, isHubUrl } from '../../hub-routing';
import { hostResolver, siteBySlug } from './index';
import { parseHost } from './parse-host';
import type { NoSite, Resolution } from './resolver';
import { verifiedDomainToken } from '../queries/sites';
import { servesFormerActor } from '../fediverse/move';

/**
 * The request's normalized host: the Host header, or behind a trusted proxy the header named by
 * HOST_HEADER (falling back to Host when absent), exactly as adapter-node picks the host it
 * builds `event.url` from. Null when it is not a hostname we could serve.
 */
export function requestHost(headers: Pick<Headers, 'get'>, e: { TRUST_PROXY: boolean; HOST_HEADER?: string } = env()): string | null {
	const forwarded = e.TRUST_PROXY && e.HOST_HEADER ? headers.get(e.HOST_HEADER) : null;
	return parseHost(forwarded || headers.get('host'));
}

// Answered before the `language` handle, in the language it would choose (no site known yet: the browser's).
const noSitePage = (event: RequestEvent) => withLocale(localeOf(event), plainPages.noSite);

/** Where a custom domain's owner proves it points here (see the Domains screen of the site admin). */
export const VERIFICATION_PATH = '/.well-known/collective-hub/';

/**
 * Node keeps the first of several Host headers and drops the others, while a proxy in front may
 * have routed by another one: RFC 9112 (3.2) says to answer 400. adapter-node hands us Node's
 * request, whose raw headers still show every copy.
 */
function hasSeveralHostHeaders(event: RequestEvent): boolean {
	const raw = (event.platform as { req?: { rawHeaders?: string[] } } | undefined)?.req?.rawHeaders;
	if (!raw) return false;
	let seen = 0;
	for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') seen++;
	return seen > 1;
}

export const resolveSite: Handle = async ({ event, resolve }) => {
	if (hasSeveralHostHeaders(event)) return withLocale(localeOf(event), plainPages.severalHosts);
	const host = requestHost(event.request.headers);
	event.locals.site = null;
	event.locals.isHub = false;
	// Filled by the session handle (sign-in issue); safe defaults until then.
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.role = null;
	event.locals.isSuperAdmin = false;
	event.locals.formerActorHost = null;
	if (!host) return noSitePage(event);
	event.locals.host = host;

	let resolution: Resolution;
	try {
		resolution = await hostResolver().resolve(host);
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		noteDatabaseError(error);
		log.warn('database unavailable during host resolution', { host });
		return withLocale(localeOf(event), plainPages.unavailable);
	}
	if (resolution.kind === 'none') return pendingDomainAnswer(resolution, event) ?? noSitePage(event);

	// reroute chose hub-or-site routes from `event.url`, which adapter-node built from the same
	// header requestHost read (env.ts ties TRUST_PROXY to HOST_HEADER), and parseHost accepts only
	// names the URL parser reads alike; so this cannot fail unless something rewrote the URL.
	if ((resolution.kind === 'hub') !== isHubUrl(event.url)) {
		log.warn('host and routing disagree', { host, urlHost: event.url.hostname });
		return noSitePage(event);
	}

	if (resolution.kind === 'hub') {
		event.locals.isHub = true;
		const slug = hubSiteSlug(event.url.pathname);
		if (slug) {
			// The hub's view of one site's admin: the site comes from the URL path, never a cookie.
			event.locals.site = await siteBySlug(slug);
			if (!event.locals.site) return withLocale(localeOf(event), plainPages.noSuchSite);
		}
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('<html ', '<html data-hub ') });
	}

	// Internal hub routes are not part of a site.
	if (event.route.id?.startsWith('/hub')) return withLocale(localeOf(event), plainPages.notFound);

	if (event.url.pathname.startsWith(VERIFICATION_PATH)) {
		const answer = await verifiedDomainAnswer(host, event);
		if (answer) return answer;
	}
	if (resolution.redirectTo) {
		// The fediverse actor that lived on this host before a primary-domain change answers here.
		if (!(await servesFormerActor(resolution.site.id, host, event.url.pathname))) return redirectToPrimary(resolution.redirectTo, event);
		event.locals.formerActorHost = host;
	}
	event.locals.site = resolution.site;
	return resolve(event);
};

/**
 * 301 to the same path and query on the primary hostname. Built by concatenation, never by URL
 * resolution: a path such as `//evil.example/` must stay a path on the primary host.
 */
function redirectToPrimary(primaryHost: string, event: RequestEvent): Response {
	const location = publicOrigin(primaryHost, event) + event.url.pathname + event.url.search;
	return new Response(null, { status: 301, headers: { location, 'cache-control': 'public, max-age=300' } });
}

/**
 * A verified custom domain keeps answering its token, so the daily re-check (services/
 * domain-checks.ts) can tell that its DNS still points here. Rare requests: read from the database.
 */
async function verifiedDomainAnswer(host: string, event: RequestEvent): Promise<Response | null> {
	if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return null;
	const token = await verifiedDomainToken(host);
	if (!token || event.url.pathname !== VERIFICATION_PATH + token) return null;
	return new Response(token, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

/** A pending custom domain answers its own verification token, and nothing else. */
function pendingDomainAnswer(resolution: NoSite, event: RequestEvent): Response | null {
	const token = resolution.pendingToken;
	if (!token || event.url.pathname !== VERIFICATION_PATH + token) return null;
	if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return null;
	return new Response(token, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}
