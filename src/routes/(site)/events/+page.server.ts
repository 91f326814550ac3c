import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { listPastEvents, listUpcomingEvents } from '$lib/server/queries/events';
import { extendSeriesAhead } from '$lib/server/services/series';
import { buildSeo } from '$lib/server/public-site/seo';
import { eventImages, eventView } from '$lib/server/public-site/views';
import { yearIn } from '$lib/event-time';
import { m } from '$lib/paraglide/messages';

const PAST_PER_PAGE = 12;
const UPCOMING_MAX = 100;

/** `?page=N` of the past-events archive: a plain positive number, nothing else. */
const pageParam = z
	.string()
	.regex(/^[1-9][0-9]{0,4}$/)
	.transform(Number)
	.optional();

export const load: PageServerLoad = async (event) => {
	const site = event.locals.site!;
	const parsed = pageParam.safeParse(event.url.searchParams.get('page') ?? undefined);
	if (!parsed.success) error(400, m.page_number_invalid());
	const pageNumber = parsed.data ?? 1;
	const now = new Date();
	await extendSeriesAhead(site, now);

	const [upcomingRows, past] = await Promise.all([
		pageNumber === 1 ? listUpcomingEvents(site.id, now, UPCOMING_MAX) : Promise.resolve([]),
		listPastEvents(site.id, now, pageNumber, PAST_PER_PAGE)
	]);
	const pages = Math.max(1, Math.ceil(past.total / PAST_PER_PAGE));
	if (pageNumber > pages) error(404, m.no_such_past_page());

	const images = await eventImages(site.id, upcomingRows);
	const path = pageNumber === 1 ? '/events' : `/events?page=${pageNumber}`;
	return {
		upcoming: upcomingRows.map((r) => eventView(r, site, images)),
		past: past.rows.map((r) => eventView(r, site)),
		pageNumber,
		pages,
		pastTotal: past.total,
		currentYear: String(yearIn(now, site.timezone)),
		seo: buildSeo(site, event, {
			path,
			title: pageNumber === 1 ? m.events_title() : m.events_seo_past_page({ page: pageNumber }),
			description: m.events_seo_description({ site: site.name })
		})
	};
};
