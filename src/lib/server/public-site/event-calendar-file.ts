import { error, type RequestEvent } from '@sveltejs/kit';
import { getEventBySlug } from '../queries/events';
import { buildCalendar, calendarResponse } from './calendar';
import { canonicalUrl } from '../urls';
import { CALENDAR_CACHE } from '../http-cache';
import { m } from '../../paraglide/messages';

/** One event (or one date of a series) as an .ics download ("Add to calendar"). */
export async function eventCalendarFile(event: Pick<RequestEvent, 'locals' | 'url'>, slug: string): Promise<Response> {
	const site = event.locals.site;
	if (!site) error(404, m.error_not_found_text());
	const row = await getEventBySlug(site.id, slug);
	if (!row) error(404, m.no_such_event());
	const calendar = buildCalendar([row], {
		site,
		eventUrl: (slug) => canonicalUrl(site.primaryHost, `/events/${slug}`, event),
		calendarUrl: canonicalUrl(site.primaryHost, `/events/${row.slug}`, event)
	});
	return calendarResponse(calendar, {
		'cache-control': CALENDAR_CACHE,
		'content-disposition': `attachment; filename="${row.slug.replace(/[^a-z0-9_-]/gi, '-')}.ics"`
	});
}
