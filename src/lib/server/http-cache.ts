/**
 * HTTP caching of public site responses (browsers, CDNs): a short `Cache-Control` with
 * stale-while-revalidate and an ETag of the body, so a revisit or a proxy revalidation costs a
 * 304 with no body. Anything personal (a signed-in visitor, a response setting a cookie) is
 * `private, no-store`; /admin and /login are handled by the `headers` handle the same way.
 */
import { createHash } from 'node:crypto';
import type { Handle } from '@sveltejs/kit';
import { isPublicPath } from '../route-namespaces';

/** Pages and feeds: fresh for a minute, then served stale while one request refreshes it. */
export const PUBLIC_CACHE = 'public, max-age=60, stale-while-revalidate=600';
/** Calendar subscriptions poll on their own schedule; a little longer is fine. */
export const CALENDAR_CACHE = 'public, max-age=300, stale-while-revalidate=3600';
/** A missing page may appear soon (an event gets published): cache the 404 only briefly. */
const NOT_FOUND_CACHE = 'public, max-age=30';
export const PRIVATE = 'private, no-store';

export function etagOf(body: Uint8Array): string {
	return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** A 304 for a response with these headers: same validators and caching, no body headers. */
export function notModified(headers: Headers): Response {
	const kept = new Headers(headers);
	kept.delete('content-length');
	kept.delete('content-type');
	kept.delete('content-encoding');
	return new Response(null, { status: 304, headers: kept });
}

/** If-None-Match matches when any listed tag equals ours, weakly (RFC 9110 §13.1.2), or is `*`. */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
	if (!header) return false;
	const bare = (t: string) => t.trim().replace(/^W\//, '');
	return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

export const publicCache: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const { locals, request, url } = event;
	if (!locals.site || locals.isHub || !isPublicPath(url.pathname)) return response;
	if (request.method !== 'GET' && request.method !== 'HEAD') return response;

	const headers = response.headers;
	if (locals.user || locals.sessionId || headers.has('set-cookie')) {
		headers.set('cache-control', PRIVATE);
		return response;
	}
	if (response.status === 404 || response.status === 410) {
		if (!headers.has('cache-control')) headers.set('cache-control', NOT_FOUND_CACHE);
		return response;
	}
	if (response.status !== 200) return response;
	if (!headers.has('cache-control')) headers.set('cache-control', PUBLIC_CACHE);
	if (headers.get('cache-control')!.includes('no-store') || headers.has('etag') || !response.body) return response;

	// Public pages are small and rendered whole, so buffering them to hash costs little.
	const body = new Uint8Array(await response.arrayBuffer());
	const etag = etagOf(body);
	headers.set('etag', etag);
	if (matchesIfNoneMatch(request.headers.get('if-none-match'), etag)) return notModified(headers);
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
};
