/** The hub calendar (or one filter of it) as an Atom feed. */
import type { RequestHandler } from './$types';
import { parseWhatsOnQuery, whatsOnFeed } from '$lib/server/hub/whats-on';
import { PUBLIC_CACHE } from '$lib/server/http-cache';

export const GET: RequestHandler = async (event) => {
	const { text, dependencies } = await whatsOnFeed(parseWhatsOnQuery(event.url), event);
	event.locals.whatsOn = dependencies;
	return new Response(text, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': PUBLIC_CACHE } });
};
