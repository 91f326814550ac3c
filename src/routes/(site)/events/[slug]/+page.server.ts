import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { listUpcomingEvents } from '$lib/server/queries/events';
import { eventForVisitor } from '$lib/server/services/events';
import { siteActor } from '$lib/server/services/actor';
import { AppError } from '$lib/server/errors';
import { renderMarkdown, plainText } from '$lib/server/markdown';
import { absoluteImageUrl, buildSeo, siteOrigin } from '$lib/server/public-site/seo';
import { eventImages, eventView } from '$lib/server/public-site/views';
import { eventJsonLd } from '$lib/server/public-site/event-json-ld';
import { calendarLinks } from '$lib/server/public-site/calendar-links';
import { canonicalUrl } from '$lib/server/urls';
import { yearIn } from '$lib/event-time';

export const load: PageServerLoad = async (event) => {
	const site = event.locals.site!;
	// Drafts (for visitors) and other sites' events are the same "not found".
	const now = new Date();
	const [found, upcoming] = await Promise.all([
		eventForVisitor(siteActor(event.locals), event.params.slug).catch((e: unknown) => {
			if (e instanceof AppError && e.status === 404) error(404, e.message);
			throw e;
		}),
		listUpcomingEvents(site.id, now, 4)
	]);
	const { row, draft } = found;
	if (draft) event.setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const others = upcoming.filter((e) => e.id !== row.id && e.status !== 'cancelled').slice(0, 3);
	const images = await eventImages(site.id, [row, ...others]);
	const view = eventView(row, site, images, 1600);
	const image = row.imageAssetId ? (images.get(row.imageAssetId) ?? null) : null;
	const url = canonicalUrl(site.primaryHost, `/events/${row.slug}`, event);
	const description = [row.status === 'cancelled' ? 'Cancelled.' : '', view.when.label, row.venueName, plainText(row.description, 200)]
		.filter(Boolean)
		.join(' · ');
	return {
		draft,
		event: view,
		descriptionHtml: renderMarkdown(row.description),
		share: { url, title: row.title },
		addToCalendar: calendarLinks(row, site.timezone, url),
		more: others.map((e) => eventView(e, site, images)),
		currentYear: String(yearIn(now, site.timezone)),
		seo: buildSeo(site, event, {
			path: `/events/${row.slug}`,
			title: row.status === 'cancelled' ? `Cancelled: ${row.title}` : row.title,
			description,
			image,
			type: 'article',
			jsonLd: eventJsonLd(row, site, {
				event: url,
				site: siteOrigin(site, event) + '/',
				image: image ? absoluteImageUrl(site, event, image) : null
			})
		})
	};
};
