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
import { excerptOf } from '../rich-text';

export type ImageMap = Map<string, AssetRow>;

/** The images of these events (one query; none when no event has one). */
export async function eventImages(siteId: string, rows: Pick<EventRow, 'imageAssetId'>[]): Promise<ImageMap> {
	const ids = rows.map((r) => r.imageAssetId).filter((id): id is string => !!id);
	const assets = await getAssetsByIds(siteId, ids);
	return new Map(assets.map((a) => [a.id, a]));
}

export function eventView(row: EventRow, site: Pick<SiteContext, 'timezone'>, images: ImageMap = new Map(), imageWidth = 960): EventView {
	const range = eventIsoRange(row, site.timezone);
	const image = row.imageAssetId ? images.get(row.imageAssetId) : undefined;
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
		excerpt: excerptOf(row.description, row, 180)
	};
}
