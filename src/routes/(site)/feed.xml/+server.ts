import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';
import { listFeedEvents } from '$lib/server/queries/events';
import { extendSeriesAhead } from '$lib/server/services/series';
import { tagForVisitor } from '$lib/server/services/tags';
import { buildEventsFeed } from '$lib/server/public-site/feed';
import { absoluteImageUrl, siteOrigin } from '$lib/server/public-site/seo';
import { canonicalUrl } from '$lib/server/urls';

const HISTORY_DAYS = 60;

/** Atom feed of upcoming and recent public events. */
export const GET: RequestHandler = async (event) => {
	const site = event.locals.site;
	if (!site) error(404, m.error_not_found_text());
	// ?tag=<slug>: only that tag's events (an unknown tag is not found, not the whole calendar).
	const tagSlug = event.url.searchParams.get('tag');
	const tag = tagSlug === null ? null : await tagForVisitor(site.id, tagSlug);
	if (tagSlug !== null && !tag) error(404, m.error_not_found_text());
	const filter = tag ? { tagId: tag.id } : undefined;
	await extendSeriesAhead(site);
	const rows = await listFeedEvents(site.id, new Date(Date.now() - HISTORY_DAYS * 86_400_000), 100, filter);
	const image = site.logo ?? site.background;
	const xml = buildEventsFeed(rows, {
		site,
		siteUrl: siteOrigin(site, event) + '/',
		feedUrl: canonicalUrl(site.primaryHost, tag ? `/feed.xml?tag=${tag.slug}` : '/feed.xml', event),
		eventUrl: (slug) => canonicalUrl(site.primaryHost, `/events/${slug}`, event),
		imageUrl: image ? absoluteImageUrl(site, event, image) : null
	});
	return new Response(xml, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
