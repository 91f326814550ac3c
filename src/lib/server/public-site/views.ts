/**
 * Database rows → the plain view objects the public components render (src/lib/site-view.ts):
 * times formatted in the site's zone, links checked, images turned into URLs, Markdown reduced to
 * a safe excerpt. One place, so the home page, the events list, feeds and calendars agree.
 */
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { getAssetsByIds, type AssetRow } from '../queries/assets';
import { describeWhen, dateBadge, eventIsoRange } from '../../event-time';
import { imageSource } from '../../media-url';
import { safeHref } from '../../safe-url';
import type { EventView } from '../../site-view';
import { mediaBase } from '../media-base';
import { listTagsForEvents, type TagRow } from '../queries/tags';
import { getPlacesByIds, type PlaceRow } from '../queries/places';
import { chipText } from '../../tag-colors';
import type { TagChip } from '../../site-view';
import { excerptOf } from '../rich-text';

export type ImageMap = Map<string, AssetRow>;

/** Tags and places of a list of events (two queries). */
export interface EventLinks {
	tags: Map<string, TagRow[]>;
	places: Map<string, PlaceRow>;
}
export const noLinks = (): EventLinks => ({ tags: new Map(), places: new Map() });

export async function eventLinks(siteId: string, rows: Pick<EventRow, 'id' | 'seriesId' | 'placeId'>[]): Promise<EventLinks> {
	const [tags, places] = await Promise.all([
		listTagsForEvents(siteId, rows),
		getPlacesByIds(
			siteId,
			rows.map((r) => r.placeId).filter((id): id is string => !!id)
		)
	]);
	return { tags, places: new Map(places.map((p) => [p.id, p])) };
}

export function tagChip(tag: TagRow): TagChip {
	return {
		slug: tag.slug,
		name: tag.name,
		href: `/events?tag=${encodeURIComponent(tag.slug)}`,
		background: tag.color,
		color: tag.color ? chipText(tag.color) : null
	};
}

/** OpenStreetMap for a place or address: a link only (no tiles, nothing loaded from outside). */
export function mapHref(place: Pick<PlaceRow, 'latitude' | 'longitude'> | null, name: string, address: string): string | null {
	if (place && place.latitude !== null && place.longitude !== null) {
		const [lat, lon] = [place.latitude.toFixed(6), place.longitude.toFixed(6)];
		return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=18/${lat}/${lon}`;
	}
	if (!address) return null;
	return `https://www.openstreetmap.org/search?query=${encodeURIComponent([name, address].filter(Boolean).join(', '))}`;
}

/** The online link may show: always, or from its reveal time before the start. */
export function onlineLinkShown(row: Pick<EventRow, 'onlineUrl' | 'onlineRevealMinutes' | 'startsAt'>, now: Date): boolean {
	if (!row.onlineUrl) return false;
	return row.onlineRevealMinutes === null || now.getTime() >= row.startsAt.getTime() - row.onlineRevealMinutes * 60_000;
}

/** The images of these events (one query; none when no event has one). */
export async function eventImages(siteId: string, rows: Pick<EventRow, 'imageAssetId'>[]): Promise<ImageMap> {
	const ids = rows.map((r) => r.imageAssetId).filter((id): id is string => !!id);
	const assets = await getAssetsByIds(siteId, ids);
	return new Map(assets.map((a) => [a.id, a]));
}

export function eventView(
	row: EventRow,
	site: Pick<SiteContext, 'timezone'>,
	images: ImageMap = new Map(),
	imageWidth = 960,
	links: EventLinks = noLinks(),
	now = new Date()
): EventView {
	const range = eventIsoRange(row, site.timezone);
	const image = row.imageAssetId ? images.get(row.imageAssetId) : undefined;
	const place = row.placeId ? (links.places.get(row.placeId) ?? null) : null;
	return {
		slug: row.slug,
		href: `/events/${row.slug}`,
		title: row.title,
		cancelled: row.status === 'cancelled',
		when: describeWhen(row, site.timezone),
		badge: dateBadge(row.startsAt, site.timezone),
		start: range.start,
		end: range.end,
		venueName: row.venueName,
		venueAddress: row.venueAddress,
		ticketHref: safeHref(row.ticketUrl),
		image: image ? imageSource(mediaBase(), image, imageWidth) : null,
		excerpt: excerptOf(row.description, row, 180),
		tags: (links.tags.get(row.id) ?? []).map(tagChip),
		online: !!row.onlineUrl,
		onlineHref: onlineLinkShown(row, now) ? safeHref(row.onlineUrl) : null,
		onlineRevealMinutes: row.onlineRevealMinutes,
		place: place ? { href: `/places/${place.slug}`, name: place.name, accessibility: place.accessibility, url: safeHref(place.url) } : null,
		mapHref: mapHref(place, row.venueName, row.venueAddress)
	};
}
