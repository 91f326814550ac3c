import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getPublicEventBySlug } from '$lib/server/content/events';
import { renderMarkdown, plainText } from '$lib/server/markdown';
import { absoluteImageUrl, buildSeo, siteOrigin } from '$lib/server/public-site/seo';
import { eventImages, eventView } from '$lib/server/public-site/views';
import { eventJsonLd } from '$lib/server/public-site/event-json-ld';
import { canonicalUrl } from '$lib/server/urls';
import { yearIn } from '$lib/event-time';

export const load: PageServerLoad = async (event) => {
	const site = event.locals.site!;
	// Drafts and other sites' events are the same "not found".
	const row = await getPublicEventBySlug(site.id, event.params.slug);
	if (!row) error(404, 'There is no such event.');
	const images = await eventImages(site.id, [row]);
	const view = eventView(row, site, images, 1600);
	const image = row.imageAssetId ? (images.get(row.imageAssetId) ?? null) : null;
	const url = canonicalUrl(site.primaryHost, `/events/${row.slug}`, event);
	const description = [row.status === 'cancelled' ? 'Cancelled.' : '', view.when.label, row.venueName, plainText(row.description, 200)]
		.filter(Boolean)
		.join(' · ');
	return {
		event: view,
		descriptionHtml: renderMarkdown(row.description),
		currentYear: String(yearIn(new Date(), site.timezone)),
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
