/** The hub calendar (or one filter of it) as an iCalendar subscription. */
import type { RequestHandler } from './$types';
import { parseWhatsOnQuery, whatsOnCalendar } from '$lib/server/hub/whats-on';
import { CALENDAR_CACHE } from '$lib/server/http-cache';

export const GET: RequestHandler = async (event) => {
	const { text, dependencies } = await whatsOnCalendar(parseWhatsOnQuery(event.url), event);
	event.locals.whatsOn = dependencies;
	return new Response(text, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'cache-control': CALENDAR_CACHE,
			'content-disposition': 'inline; filename="whats-on.ics"'
		}
	});
};
