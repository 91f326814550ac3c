/** A place's public page: where it is (an OpenStreetMap link, no tiles), how accessible, what is on there next. */
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { listUpcomingEvents } from '$lib/server/queries/events';
import { extendSeriesAhead } from '$lib/server/services/series';
import { placeForVisitor } from '$lib/server/services/places';
import { AppError } from '$lib/server/errors';
import { buildSeo } from '$lib/server/public-site/seo';
import { eventImages, eventLinks, eventView, mapHref } from '$lib/server/public-site/views';
import { safeHref } from '$lib/safe-url';
import { yearIn } from '$lib/event-time';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async (event) => {
	const site = event.locals.site!;
	const place = await placeForVisitor(site.id, event.params.slug).catch((e: unknown) => {
		if (e instanceof AppError && e.status === 404) error(404, e.message);
		throw e;
	});
	const now = new Date();
	await extendSeriesAhead(site, now);
	const rows = await listUpcomingEvents(site.id, now, 50, { placeId: place.id });
	const [images, links] = await Promise.all([eventImages(site.id, rows), eventLinks(site.id, rows)]);
	return {
		place: {
			name: place.name,
			address: place.address,
			accessibility: place.accessibility,
			href: safeHref(place.url),
			mapHref: mapHref(place, place.name, place.address)
		},
		upcoming: rows.map((r) => eventView(r, site, images, 960, links, now)),
		currentYear: String(yearIn(now, site.timezone)),
		seo: buildSeo(site, event, {
			path: `/places/${place.slug}`,
			title: place.name,
			description: [m.events_place_seo({ place: place.name }), place.address].filter(Boolean).join(' · '),
			jsonLd: {
				'@context': 'https://schema.org',
				'@type': 'Place',
				name: place.name,
				...(place.address ? { address: place.address } : {}),
				...(place.latitude !== null && place.longitude !== null
					? { geo: { '@type': 'GeoCoordinates', latitude: place.latitude, longitude: place.longitude } }
					: {})
			}
		})
	};
};
