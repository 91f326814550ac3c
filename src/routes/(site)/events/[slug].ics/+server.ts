import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getEventBySlug } from '$lib/server/queries/events';
import { buildCalendar, calendarResponse } from '$lib/server/public-site/calendar';
import { canonicalUrl } from '$lib/server/urls';
import { CALENDAR_CACHE } from '$lib/server/http-cache';

/** One event as an .ics download ("Add to calendar"). */
export const GET: RequestHandler = async (event) => {
	const site = event.locals.site;
	if (!site) error(404, 'Not found');
	const row = await getEventBySlug(site.id, event.params.slug);
	if (!row) error(404, 'There is no such event.');
	const calendar = buildCalendar([row], {
		site,
		eventUrl: (slug) => canonicalUrl(site.primaryHost, `/events/${slug}`, event),
		calendarUrl: canonicalUrl(site.primaryHost, `/events/${row.slug}`, event)
	});
	return calendarResponse(calendar, {
		'cache-control': CALENDAR_CACHE,
		'content-disposition': `attachment; filename="${row.slug.replace(/[^a-z0-9_-]/gi, '-')}.ics"`
	});
};
