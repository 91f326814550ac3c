import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';
import { listFeedEvents } from '$lib/server/queries/events';
import { extendSeriesAhead } from '$lib/server/services/series';
import { tagForVisitor } from '$lib/server/services/tags';
import { buildCalendar, calendarResponse } from '$lib/server/public-site/calendar';
import { canonicalUrl } from '$lib/server/urls';
import { CALENDAR_CACHE } from '$lib/server/http-cache';

/** Subscribers keep a few months of history; older events drop out of the feed. */
const HISTORY_DAYS = 90;

/** The site's calendar subscription: upcoming and recent public events. */
export const GET: RequestHandler = async (event) => {
	const site = event.locals.site;
	if (!site) error(404, m.error_not_found_text());
	// ?tag=<slug>: only that tag's events (an unknown tag is not found, not the whole calendar).
	const tagSlug = event.url.searchParams.get('tag');
	const tag = tagSlug === null ? null : await tagForVisitor(site.id, tagSlug);
	if (tagSlug !== null && !tag) error(404, m.error_not_found_text());
	const filter = tag ? { tagId: tag.id } : undefined;
	await extendSeriesAhead(site);
	const since = new Date(Date.now() - HISTORY_DAYS * 86_400_000);
	const rows = await listFeedEvents(site.id, since, 500, filter);
	const calendar = buildCalendar(rows, {
		site,
		eventUrl: (slug) => canonicalUrl(site.primaryHost, `/events/${slug}`, event),
		calendarUrl: canonicalUrl(site.primaryHost, tag ? `/events?tag=${tag.slug}` : '/events', event)
	});
	return calendarResponse(calendar, {
		'cache-control': CALENDAR_CACHE,
		'content-disposition': `inline; filename="${tag ? `events-${tag.slug}` : 'events'}.ics"`
	});
};
