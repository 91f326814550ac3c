import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { listPastEvents, listUpcomingEvents } from '$lib/server/queries/events';
import { extendSeriesAhead } from '$lib/server/services/series';
import { tagForVisitor } from '$lib/server/services/tags';
import { listTags } from '$lib/server/queries/tags';
import { buildSeo } from '$lib/server/public-site/seo';
import { eventImages, eventLinks, eventView, tagChip } from '$lib/server/public-site/views';
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
	// ?tag=<slug>: one of the site's tags (another site's, or none, is not found).
	const tagSlug = event.url.searchParams.get('tag');
	const tag = tagSlug === null ? null : await tagForVisitor(site.id, tagSlug);
	if (tagSlug !== null && !tag) error(404, m.events_tags_label());
	await extendSeriesAhead(site, now);

	const filter = tag ? { tagId: tag.id } : undefined;
	const [upcomingRows, past, tags] = await Promise.all([
		pageNumber === 1 ? listUpcomingEvents(site.id, now, UPCOMING_MAX, filter) : Promise.resolve([]),
		listPastEvents(site.id, now, pageNumber, PAST_PER_PAGE, filter),
		listTags(site.id)
	]);
	const pages = Math.max(1, Math.ceil(past.total / PAST_PER_PAGE));
	if (pageNumber > pages) error(404, m.no_such_past_page());

	const [images, links] = await Promise.all([eventImages(site.id, upcomingRows), eventLinks(site.id, upcomingRows)]);
	const query = [tag ? `tag=${encodeURIComponent(tag.slug)}` : '', pageNumber === 1 ? '' : `page=${pageNumber}`].filter(Boolean).join('&');
	const path = query ? `/events?${query}` : '/events';
	const title = tag ? m.events_tag_title({ tag: tag.name }) : m.events_title();
	return {
		tags: tags.map(tagChip),
		tag: tag ? tagChip(tag) : null,
		upcoming: upcomingRows.map((r) => eventView(r, site, images, 960, links, now)),
		past: past.rows.map((r) => eventView(r, site)),
		pageNumber,
		pages,
		pastTotal: past.total,
		currentYear: String(yearIn(now, site.timezone)),
		seo: buildSeo(site, event, {
			path,
			title: pageNumber === 1 ? title : m.events_seo_past_page({ page: pageNumber }),
			description: m.events_seo_description({ site: site.name })
		})
	};
};
