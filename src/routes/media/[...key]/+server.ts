/**
 * Images stored by the local driver (or any driver when no CDN_BASE_URL is set), served like a
 * CDN would: public, immutable, on every host this server answers. A key names one image variant
 * and carries the site's slug, so site B's host can serve site A's image if someone asks for its
 * exact (unguessable) key; these images are public anyway, as they would be on a CDN.
 *
 * Only keys of the exact variant grammar are looked up; traversal cannot reach the storage layer
 * (which checks again).
 */
import type { RequestHandler } from './$types';
import { parseMediaKey } from '$lib/server/media/keys';
import { IMMUTABLE_CACHE, mediaStorage } from '$lib/server/media/storage';

const text = (status: number, body: string) =>
	new Response(body + '\n', {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=60' }
	});

/** Looks like an attempt rather than a missing image: encoded characters, dot segments, backslashes, NUL. */
const SUSPICIOUS = /%|\\|\0|(^|\/)\.\.?(\/|$)/;

async function serve(request: Request, url: URL, key: string, withBody: boolean): Promise<Response> {
	const raw = url.pathname.slice('/media/'.length);
	if (SUSPICIOUS.test(raw) || SUSPICIOUS.test(key)) return text(400, 'Bad request');
	if (!parseMediaKey(key)) return text(404, 'Not found');
	const object = await mediaStorage().get(key);
	if (!object) return text(404, 'Not found');
	const headers = {
		'content-type': 'image/webp',
		'cache-control': IMMUTABLE_CACHE,
		etag: object.etag,
		'content-security-policy': "default-src 'none'; sandbox"
	};
	const match = request.headers.get('if-none-match');
	const notModified = !!match && match.split(',').some((t) => t.trim() === object.etag || t.trim() === '*');
	if (notModified || !withBody) {
		await object.body.cancel();
		if (notModified) return new Response(null, { status: 304, headers });
		return new Response(null, { headers: { ...headers, 'content-length': String(object.size) } });
	}
	return new Response(object.body, { headers: { ...headers, 'content-length': String(object.size) } });
}

export const GET: RequestHandler = ({ request, url, params }) => serve(request, url, params.key, true);
export const HEAD: RequestHandler = ({ request, url, params }) => serve(request, url, params.key, false);
