/**
 * The hub's "What's on": upcoming public events of every site that opted in (site.hub_listed),
 * across sites. A platform read (no site scope, see db/index.ts): the WHERE clause admits only
 * listed, active, live sites and published or cancelled events, so drafts and suspended or deleted
 * sites never appear whatever the filter.
 */
import { and, asc, count, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { db } from '../db';
import { event, eventTag, place, site, siteDomain, tag } from '../db/schema';
import type { EventRow } from './events';

export interface WhatsOnFilter {
	/** A collective's slug. */
	site?: string;
	/** A city as the collectives name it (compared without case). */
	city?: string;
	/** A tag's slug: events tagged so on any listed site (tags are per site; the slug is the shared name). */
	tag?: string;
	/**
	 * A venue: `<site slug>.<place slug>` (placeKey). Places are per site, so the key names the site
	 * too; both slugs are what the site's own /places/<slug> page uses, and `.` is in neither.
	 */
	place?: string;
}

/** The filter value of a site's place, as URLs carry it. */
export const placeKey = (siteSlug: string, placeSlug: string) => `${siteSlug}.${placeSlug}`;

/** A place key's site and place slugs (the key was validated by the caller). */
export function placeKeyParts(key: string): { siteSlug: string; placeSlug: string } {
	const dot = key.indexOf('.');
	return { siteSlug: key.slice(0, dot), placeSlug: key.slice(dot + 1) };
}

export interface WhatsOnPlace {
	key: string;
	name: string;
	siteId: string;
	siteName: string;
}

export interface WhatsOnSite {
	id: string;
	slug: string;
	name: string;
	timezone: string;
	city: string;
	/** Verified primary custom domain, or null (then `<slug>.<PLATFORM_DOMAIN>`). */
	primaryHost: string | null;
}

export interface WhatsOnEvent {
	event: EventRow;
	site: WhatsOnSite;
	/** The slug of the site's place it is held at, or null (a typed venue, or none). */
	placeSlug: string | null;
}

const PRIMARY_HOST = sql<
	string | null
>`(select d.hostname from ${siteDomain} d where d.site_id = ${site.id} and d.is_primary and d.verified_at is not null limit 1)`;
const endOf = sql`coalesce(${event.endsAt}, ${event.startsAt})`;
const listed = and(eq(site.hubListed, true), eq(site.status, 'active'), isNull(site.deletedAt));

function filterWhere(filter: WhatsOnFilter) {
	return and(
		listed,
		filter.site ? eq(site.slug, filter.site) : undefined,
		filter.city ? sql`lower(${site.hubCity}) = lower(${filter.city})` : undefined,
		filter.place ? eq(site.slug, placeKeyParts(filter.place).siteSlug) : undefined
	);
}

/** The event is held at its site's place with this slug. */
function heldAt(placeSlug: string) {
	return sql`exists (select 1 from ${place} where ${place.siteId} = ${event.siteId} and ${place.id} = ${event.placeId}
		and ${place.slug} = ${placeSlug})`;
}

const upcomingPublic = (now: Date) => and(inArray(event.status, ['published', 'cancelled']), gte(endOf, sql.param(now, event.startsAt)));

/** The event (or its series) carries a tag of its own site with this slug (as eventHasTag, across sites). */
function taggedWith(slug: string) {
	return sql`exists (select 1 from ${eventTag} join ${tag} on ${tag.siteId} = ${eventTag.siteId} and ${tag.id} = ${eventTag.tagId}
		where ${eventTag.siteId} = ${event.siteId} and ${tag.slug} = ${slug}
		and (${eventTag.eventId} = ${event.id} or ${eventTag.seriesId} = ${event.seriesId}))`;
}

const siteColumns = {
	id: site.id,
	slug: site.slug,
	name: site.name,
	timezone: site.timezone,
	city: site.hubCity,
	primaryHost: PRIMARY_HOST
};

/** One page of upcoming events (not yet ended), soonest first, with the total. */
export async function listWhatsOn(
	now: Date,
	filter: WhatsOnFilter,
	page: number,
	perPage: number
): Promise<{ rows: WhatsOnEvent[]; total: number }> {
	const where = and(
		filterWhere(filter),
		upcomingPublic(now),
		filter.tag ? taggedWith(filter.tag) : undefined,
		filter.place ? heldAt(placeKeyParts(filter.place).placeSlug) : undefined
	);
	const [rows, [total]] = await Promise.all([
		db()
			.select({ event, site: siteColumns, placeSlug: place.slug })
			.from(event)
			.innerJoin(site, eq(site.id, event.siteId))
			.leftJoin(place, and(eq(place.siteId, event.siteId), eq(place.id, event.placeId)))
			.where(where)
			.orderBy(asc(event.startsAt), asc(event.id))
			.limit(perPage)
			.offset((page - 1) * perPage),
		db().select({ n: count() }).from(event).innerJoin(site, eq(site.id, event.siteId)).where(where)
	]);
	return { rows, total: total?.n ?? 0 };
}

/**
 * The listed collectives a filter can show (every listed one without a filter), for the filter
 * choices and for knowing which sites' changes a cached page depends on.
 */
export async function listWhatsOnSites(filter: WhatsOnFilter = {}): Promise<WhatsOnSite[]> {
	return db().select(siteColumns).from(site).where(filterWhere(filter)).orderBy(asc(site.name));
}

/** The distinct cities the sites name (first spelling wins), sorted, for the place filter. */
export function citiesOf(sites: WhatsOnSite[]): string[] {
	const seen = new Map<string, string>();
	for (const s of sites) if (s.city.trim() && !seen.has(s.city.toLowerCase())) seen.set(s.city.toLowerCase(), s.city.trim());
	return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/**
 * The tags on upcoming public events of the listed sites, by slug (first name wins), for the tag
 * filter: a tag nobody uses on a coming event is no choice.
 */
export async function listWhatsOnTags(now: Date, limit = 100): Promise<{ slug: string; name: string }[]> {
	const rows = await db()
		.selectDistinctOn([tag.slug], { slug: tag.slug, name: tag.name })
		.from(tag)
		.innerJoin(site, eq(site.id, tag.siteId))
		.innerJoin(eventTag, and(eq(eventTag.siteId, tag.siteId), eq(eventTag.tagId, tag.id)))
		.innerJoin(
			event,
			and(
				eq(event.siteId, eventTag.siteId),
				sql`(${eventTag.eventId} = ${event.id} or ${eventTag.seriesId} = ${event.seriesId})`,
				upcomingPublic(now)
			)
		)
		.where(listed)
		.orderBy(asc(tag.slug), asc(tag.name))
		.limit(limit);
	return rows.sort((a, b) => a.name.localeCompare(b.name));
}

const placeColumns = { siteSlug: site.slug, slug: place.slug, name: place.name, siteId: site.id, siteName: site.name };
const toPlace = ({ siteSlug, slug, ...rest }: { siteSlug: string; slug: string; name: string; siteId: string; siteName: string }) => ({
	key: placeKey(siteSlug, slug),
	...rest
});

/** The place a filter names, if its site is listed (an unlisted or suspended site's place is none). */
export async function findWhatsOnPlace(key: string): Promise<WhatsOnPlace | undefined> {
	const { siteSlug, placeSlug } = placeKeyParts(key);
	const [row] = await db()
		.select(placeColumns)
		.from(place)
		.innerJoin(site, eq(site.id, place.siteId))
		.where(and(listed, eq(site.slug, siteSlug), eq(place.slug, placeSlug)));
	return row && toPlace(row);
}

/**
 * The places of these (listed) sites where an upcoming public event is held, for the place
 * filter: a venue with nothing coming is no choice. Sorted by name, then collective.
 */
export async function listWhatsOnPlaces(now: Date, siteIds: string[], limit = 200): Promise<WhatsOnPlace[]> {
	if (!siteIds.length) return [];
	const rows = await db()
		.selectDistinct(placeColumns)
		.from(place)
		.innerJoin(site, eq(site.id, place.siteId))
		.innerJoin(event, and(eq(event.siteId, place.siteId), eq(event.placeId, place.id), upcomingPublic(now)))
		.where(and(listed, inArray(site.id, siteIds)))
		.orderBy(asc(place.name), asc(site.name), asc(place.slug), asc(site.slug), asc(site.id))
		.limit(limit);
	return rows.map(toPlace);
}
