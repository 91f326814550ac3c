/**
 * The public page of one event: a one-off at /events/<slug>, or one date of a series at
 * /events/<series-slug>/<yyyy-mm-dd> (both routes load it here). /events/<series-slug> itself
 * redirects to the series' next date.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { listUpcomingEvents } from '../queries/events';
import { eventForVisitor } from '../services/events';
import { seriesLandingSlug } from '../services/series';
import { siteActor } from '../services/actor';
import { AppError } from '../errors';
import { htmlOf, plainTextOfHtml } from '../rich-text';
import { absoluteImageUrl, buildSeo, siteOrigin } from './seo';
import { eventImages, eventLinks, eventView } from './views';
import { eventJsonLd, seriesSchedule } from './event-json-ld';
import { calendarLinks } from './calendar-links';
import { canonicalUrl } from '../urls';
import { yearIn } from '../../event-time';
import { m } from '../../paraglide/messages';

const notFoundPage = (e: unknown): never => {
	if (e instanceof AppError && e.status === 404) error(404, e.message);
	throw e;
};

export async function eventPage(
	event: Pick<RequestEvent, 'locals' | 'url' | 'platform' | 'setHeaders'>,
	slug: string,
	isSeriesDate = false
) {
	const site = event.locals.site!;
	// Drafts (for visitors) and other sites' events are the same "not found".
	const now = new Date();
	const [found, upcoming] = await Promise.all([
		eventForVisitor(siteActor(event.locals), slug).catch(async (e: unknown) => {
			// Not an event: perhaps a series, whose address leads to its next date.
			if (!isSeriesDate && e instanceof AppError && e.status === 404) {
				const next = await seriesLandingSlug(siteActor(event.locals), slug, now).catch(notFoundPage);
				redirect(302, `/events/${next}`);
			}
			return notFoundPage(e);
		}),
		listUpcomingEvents(site.id, now, 4)
	]);
	const { row, draft, series } = found;
	if (draft) event.setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const others = upcoming.filter((e) => e.id !== row.id && e.status !== 'cancelled').slice(0, 3);
	const [images, links, descriptionHtml] = await Promise.all([
		eventImages(site.id, [row, ...others]),
		eventLinks(site.id, [row, ...others]),
		htmlOf(site, row.description, row)
	]);
	const view = eventView(row, site, images, 1600, links, now);
	const place = row.placeId ? links.places.get(row.placeId) : undefined;
	const image = row.imageAssetId ? (images.get(row.imageAssetId) ?? null) : null;
	const url = canonicalUrl(site.primaryHost, `/events/${row.slug}`, event);
	const description = [
		row.status === 'cancelled' ? `${m.cancelled()}.` : '',
		view.when.label,
		row.venueName,
		plainTextOfHtml(descriptionHtml, 200)
	]
		.filter(Boolean)
		.join(' · ');
	return {
		draft,
		event: view,
		descriptionHtml,
		share: { url, title: row.title },
		addToCalendar: calendarLinks(row, site.timezone, url),
		more: others.map((e) => eventView(e, site, images, 960, links, now)),
		currentYear: String(yearIn(now, site.timezone)),
		seo: buildSeo(site, event, {
			path: `/events/${row.slug}`,
			title: row.status === 'cancelled' ? `${m.cancelled_prefix()}${row.title}` : row.title,
			description,
			image,
			type: 'article',
			jsonLd: eventJsonLd(
				row,
				site,
				{
					event: url,
					site: siteOrigin(site, event) + '/',
					image: image ? absoluteImageUrl(site, event, image) : null,
					place: place ? canonicalUrl(site.primaryHost, `/places/${place.slug}`, event) : null,
					online: view.onlineHref
				},
				{
					geo:
						place && place.latitude !== null && place.longitude !== null ? { latitude: place.latitude, longitude: place.longitude } : null,
					schedule: series ? seriesSchedule(series, site.timezone) : null
				}
			)
		})
	};
}
