import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';
import { listPublicEventLinks } from '$lib/server/queries/events';
import { listPublishedPageLinks } from '$lib/server/queries/pages';
import { listTags } from '$lib/server/queries/tags';
import { listPlaces } from '$lib/server/queries/places';
import { extendSeriesAhead } from '$lib/server/services/series';
import { sitemapXml, type SitemapEntry } from '$lib/server/public-site/sitemap';
import { canonicalUrl } from '$lib/server/urls';

export const GET: RequestHandler = async (event) => {
	const site = event.locals.site;
	if (!site) error(404, m.error_not_found_text());
	await extendSeriesAhead(site);
	const [events, pages, tags, places] = await Promise.all([
		listPublicEventLinks(site.id),
		listPublishedPageLinks(site.id),
		listTags(site.id),
		listPlaces(site.id)
	]);
	const url = (path: string) => canonicalUrl(site.primaryHost, path, event);
	const entries: SitemapEntry[] = [
		{ loc: url('/') },
		{ loc: url('/events') },
		...tags.map((t) => ({ loc: url(`/events?tag=${encodeURIComponent(t.slug)}`), lastmod: t.updatedAt })),
		...places.map((p) => ({ loc: url(`/places/${encodeURIComponent(p.slug)}`), lastmod: p.updatedAt })),
		...pages.map((p) => ({ loc: url(`/${encodeURIComponent(p.slug)}`), lastmod: p.updatedAt })),
		...events.map((e) => ({ loc: url(`/events/${e.slug.split('/').map(encodeURIComponent).join('/')}`), lastmod: e.updatedAt }))
	];
	return new Response(sitemapXml(entries), { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
