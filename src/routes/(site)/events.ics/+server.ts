import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { listFeedEvents } from '$lib/server/queries/events';
import { extendSeriesAhead } from '$lib/server/services/series';
import { buildCalendar, calendarResponse } from '$lib/server/public-site/calendar';
import { canonicalUrl } from '$lib/server/urls';
import { CALENDAR_CACHE } from '$lib/server/http-cache';

/** Subscribers keep a few months of history; older events drop out of the feed. */
const HISTORY_DAYS = 90;

/** The site's calendar subscription: upcoming and recent public events. */
export const GET: RequestHandler = async (event) => {
	const site = event.locals.site;
	if (!site) error(404, 'Not found');
	await extendSeriesAhead(site);
	const since = new Date(Date.now() - HISTORY_DAYS * 86_400_000);
	const rows = await listFeedEvents(site.id, since, 500);
	const calendar = buildCalendar(rows, {
		site,
		eventUrl: (slug) => canonicalUrl(site.primaryHost, `/events/${slug}`, event),
		calendarUrl: canonicalUrl(site.primaryHost, '/events', event)
	});
	return calendarResponse(calendar, {
		'cache-control': CALENDAR_CACHE,
		'content-disposition': 'inline; filename="events.ics"'
	});
};
