/** Events of one site. Every function takes the site id first and filters by it in SQL. */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { preparedQuery } from '../db/prepared';
import { event, eventSeries } from '../db/schema';
import { eventHasTag } from './tags';
import { staleUnlessRendered } from './rich-text';

export type EventRow = typeof event.$inferSelect;
export type EventStatus = EventRow['status'];
export type SeriesRow = typeof eventSeries.$inferSelect;
export type SeriesInput = Omit<typeof eventSeries.$inferInsert, 'id' | 'siteId' | 'createdAt' | 'updatedAt'>;

export interface EventInput {
	slug: string;
	title: string;
	description?: string;
	startsAt: Date;
	endsAt?: Date | null;
	allDay?: boolean;
	venueName?: string;
	venueAddress?: string;
	ticketUrl?: string | null;
	onlineUrl?: string | null;
	onlineRevealMinutes?: number | null;
	placeId?: string | null;
	imageAssetId?: string | null;
	status?: EventStatus;
	publishAt?: Date | null;
	seriesId?: string | null;
	occurrenceDate?: string | null;
	detached?: boolean;
	html?: string;
	renderVersion?: number;
}

const visible = inArray(event.status, ['published', 'cancelled']);
/** An event is "upcoming" until it ends (or, without an end, until it starts). */
const endOf = sql`coalesce(${event.endsAt}, ${event.startsAt})`;
/**
 * A Date (or a prepared query's placeholder for one) as a bound timestamptz parameter (raw sql
 * fragments do not know the column's encoder).
 */
const at = (d: Date | ReturnType<typeof sql.placeholder>) => sql.param(d, event.startsAt);

/** Narrow a list to one tag (on the event or its series) and/or one place (ids checked by the caller). */
export interface EventFilter {
	tagId?: string;
	placeId?: string;
}
const filtered = (siteId: string, filter: EventFilter = {}) => [
	filter.tagId ? eventHasTag(siteId, filter.tagId) : undefined,
	filter.placeId ? eq(event.placeId, filter.placeId) : undefined
];

/** The unfiltered list (home page, event pages): read on every uncached one of them. */
const upcomingOfSite = preparedQuery((on) =>
	on
		.select()
		.from(event)
		.where(and(eq(event.siteId, sql.placeholder('siteId')), visible, gte(endOf, at(sql.placeholder('now')))))
		.orderBy(asc(event.startsAt))
		.limit(sql.placeholder('limit'))
		.prepare('upcoming_events_of_site')
);

/** Published or cancelled events that have not ended yet, soonest first. */
export async function listUpcomingEvents(siteId: string, now: Date, limit = 50, filter?: EventFilter): Promise<EventRow[]> {
	if (!filter?.tagId && !filter?.placeId) return upcomingOfSite().execute({ siteId, now, limit });
	return db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), visible, gte(endOf, at(now)), ...filtered(siteId, filter)))
		.orderBy(asc(event.startsAt))
		.limit(limit);
}

/** Past public events, newest first, paged. */
export async function listPastEvents(siteId: string, now: Date, page = 1, perPage = 20, filter?: EventFilter) {
	const where = and(eq(event.siteId, siteId), visible, lt(endOf, at(now)), ...filtered(siteId, filter));
	const [rows, [total]] = await Promise.all([
		db()
			.select()
			.from(event)
			.where(where)
			.orderBy(desc(event.startsAt))
			.limit(perPage)
			.offset((page - 1) * perPage),
		db().select({ n: count() }).from(event).where(where)
	]);
	return { rows, total: total?.n ?? 0, page, perPage };
}

/** Events for feeds and the calendar: public events starting after `since`. */
export async function listFeedEvents(siteId: string, since: Date, limit = 200, filter?: EventFilter): Promise<EventRow[]> {
	return db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), visible, gte(endOf, at(since)), ...filtered(siteId, filter)))
		.orderBy(asc(event.startsAt))
		.limit(limit);
}

/** Every public event's slug and last change, newest first (sitemap). */
export async function listPublicEventLinks(siteId: string, limit = 5000) {
	return db()
		.select({ slug: event.slug, updatedAt: event.updatedAt })
		.from(event)
		.where(and(eq(event.siteId, siteId), visible))
		.orderBy(desc(event.startsAt))
		.limit(limit);
}

/** The event at `/events/<slug>`: public ones only, or (for its editors' preview) drafts too. */
export async function getEventBySlug(siteId: string, slug: string, options: { drafts?: boolean } = {}): Promise<EventRow | undefined> {
	const [row] = await db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), eq(event.slug, slug), options.drafts ? undefined : visible));
	return row;
}

/** A public event (published or cancelled) by id, e.g. its ActivityPub object at `/ap/events/<id>`. */
export async function getPublicEvent(siteId: string, eventId: string): Promise<EventRow | undefined> {
	const [row] = await db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), eq(event.id, eventId), visible));
	return row;
}

/** Admin: any status. */
export async function getEvent(siteId: string, eventId: string): Promise<EventRow | undefined> {
	const [row] = await db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), eq(event.id, eventId)));
	return row;
}

export type AdminEventFilter = 'upcoming' | 'past' | 'drafts' | 'all';

/** One-off events only: a series' dates are listed under their series (listSeriesForAdmin). */
export async function listEventsForAdmin(siteId: string, filter: AdminEventFilter, now: Date, narrow?: EventFilter): Promise<EventRow[]> {
	const conditions = [eq(event.siteId, siteId), isNull(event.seriesId), ...filtered(siteId, narrow)];
	if (filter === 'upcoming') conditions.push(gte(endOf, at(now)));
	if (filter === 'past') conditions.push(lt(endOf, at(now)));
	if (filter === 'drafts') conditions.push(eq(event.status, 'draft'));
	return db()
		.select()
		.from(event)
		.where(and(...conditions))
		.orderBy(filter === 'past' ? desc(event.startsAt) : asc(event.startsAt))
		.limit(500);
}

/** How many events each admin filter shows, in one query (the filter tabs' counts). */
export async function countEventsForAdmin(siteId: string, now: Date): Promise<Record<AdminEventFilter, number>> {
	const [row] = await db()
		.select({
			all: count(),
			upcoming: sql<number>`count(*) filter (where ${endOf} >= ${at(now)})`.mapWith(Number),
			past: sql<number>`count(*) filter (where ${endOf} < ${at(now)})`.mapWith(Number),
			drafts: sql<number>`count(*) filter (where ${event.status} = 'draft')`.mapWith(Number)
		})
		.from(event)
		.where(and(eq(event.siteId, siteId), isNull(event.seriesId)));
	return { upcoming: row?.upcoming ?? 0, past: row?.past ?? 0, drafts: row?.drafts ?? 0, all: row?.all ?? 0 };
}

/** Event and series slugs share /events/<slug>: taken by another event or another series. */
export async function eventSlugTaken(siteId: string, slug: string, exceptId?: string): Promise<boolean> {
	const [events, series] = await Promise.all([
		db()
			.select({ id: event.id })
			.from(event)
			.where(and(eq(event.siteId, siteId), eq(event.slug, slug))),
		db()
			.select({ id: eventSeries.id })
			.from(eventSeries)
			.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.slug, slug)))
	]);
	return [...events, ...series].some((r) => r.id !== exceptId);
}

export async function createEvent(siteId: string, input: EventInput, tx: DbOrTx = db()): Promise<EventRow> {
	const [row] = await tx
		.insert(event)
		.values({ ...staleUnlessRendered(input, 'description'), siteId })
		.returning();
	return row!;
}

export async function updateEvent(
	siteId: string,
	eventId: string,
	input: Partial<EventInput>,
	tx: DbOrTx = db()
): Promise<EventRow | undefined> {
	const [row] = await tx
		.update(event)
		.set({ ...staleUnlessRendered(input, 'description'), updatedAt: new Date() })
		.where(and(eq(event.siteId, siteId), eq(event.id, eventId)))
		.returning();
	return row;
}

export async function deleteEvent(siteId: string, eventId: string, tx: DbOrTx = db()): Promise<EventRow | undefined> {
	const [row] = await tx
		.delete(event)
		.where(and(eq(event.siteId, siteId), eq(event.id, eventId)))
		.returning();
	return row;
}

/** Events that use an asset (to refuse deleting an image in use). */
export async function eventsUsingAsset(siteId: string, assetId: string) {
	return db()
		.select({ id: event.id, title: event.title })
		.from(event)
		.where(and(eq(event.siteId, siteId), eq(event.imageAssetId, assetId)));
}

const revealAt = sql`${event.startsAt} - make_interval(mins => ${event.onlineRevealMinutes})`;

/** The soonest moment at which some event of the site starts or ends after `now` (for cache expiry). */
export async function nextEventBoundary(siteId: string, now: Date): Promise<Date | null> {
	const [row] = await db()
		.select({
			// Also the moment an online link starts to show (the page changes then too).
			at: sql<Date | string | null>`least(
				min(case when ${event.startsAt} > ${at(now)} then ${event.startsAt} else ${endOf} end),
				min(${revealAt}) filter (where ${revealAt} > ${at(now)})
			)`
		})
		.from(event)
		.where(and(eq(event.siteId, siteId), visible, or(gte(event.startsAt, now), gte(endOf, at(now)))));
	return row?.at ? new Date(row.at) : null;
}

// --- Series -------------------------------------------------------------------------------------

export async function getSeries(siteId: string, seriesId: string): Promise<SeriesRow | undefined> {
	const [row] = await db()
		.select()
		.from(eventSeries)
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.id, seriesId)));
	return row;
}

export async function getSeriesBySlug(siteId: string, slug: string): Promise<SeriesRow | undefined> {
	const [row] = await db()
		.select()
		.from(eventSeries)
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.slug, slug)));
	return row;
}

export async function createSeries(siteId: string, input: SeriesInput): Promise<SeriesRow> {
	const [row] = await db()
		.insert(eventSeries)
		.values({ ...input, siteId })
		.returning();
	return row!;
}

export async function updateSeries(siteId: string, seriesId: string, input: Partial<SeriesInput>): Promise<SeriesRow | undefined> {
	const [row] = await db()
		.update(eventSeries)
		.set({ ...input, updatedAt: new Date() })
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.id, seriesId)))
		.returning();
	return row;
}

/** Deletes the series and (by the foreign key) every occurrence still attached to it. */
export async function deleteSeriesRow(siteId: string, seriesId: string): Promise<SeriesRow | undefined> {
	const [row] = await db()
		.delete(eventSeries)
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.id, seriesId)))
		.returning();
	return row;
}

/** Every occurrence row of a series, by date. */
export async function listOccurrences(siteId: string, seriesId: string): Promise<EventRow[]> {
	return db()
		.select()
		.from(event)
		.where(and(eq(event.siteId, siteId), eq(event.seriesId, seriesId)))
		.orderBy(asc(event.occurrenceDate));
}

/** Adds occurrences; one that exists already (a concurrent extension made it) is left alone. */
export async function insertOccurrences(siteId: string, rows: EventInput[]): Promise<number> {
	if (!rows.length) return 0;
	const inserted = await db()
		.insert(event)
		.values(rows.map((r) => ({ ...staleUnlessRendered(r, 'description'), siteId })))
		.onConflictDoNothing()
		.returning({ id: event.id });
	return inserted.length;
}

export async function deleteEventsByIds(siteId: string, ids: string[]): Promise<number> {
	if (!ids.length) return 0;
	const rows = await db()
		.delete(event)
		.where(and(eq(event.siteId, siteId), inArray(event.id, ids)))
		.returning({ id: event.id });
	return rows.length;
}

/** Past occurrences kept as one-off events when their series goes (their slugs keep their URLs). */
export async function detachOccurrencesBefore(siteId: string, seriesId: string, before: Date): Promise<number> {
	const rows = await db()
		.update(event)
		.set({ seriesId: null, occurrenceDate: null, detached: false, updatedAt: new Date() })
		.where(and(eq(event.siteId, siteId), eq(event.seriesId, seriesId), lt(event.startsAt, before)))
		.returning({ id: event.id });
	return rows.length;
}

/** Published series whose materialised dates end before `date` (their horizon has run short). */
export async function listSeriesToExtend(siteId: string, date: string): Promise<SeriesRow[]> {
	return db()
		.select()
		.from(eventSeries)
		.where(and(eq(eventSeries.siteId, siteId), lt(eventSeries.materialisedUntil, date), ne(eventSeries.status, 'draft')));
}

export interface AdminSeries {
	series: SeriesRow;
	upcoming: EventRow[];
	upcomingCount: number;
}

/** Every series of the site with its next few dates and how many are still to come. */
export async function listSeriesForAdmin(siteId: string, now: Date, next = 4, narrow: EventFilter = {}): Promise<AdminSeries[]> {
	const seriesWhere = and(
		eq(eventSeries.siteId, siteId),
		narrow.placeId ? eq(eventSeries.placeId, narrow.placeId) : undefined,
		narrow.tagId
			? sql`exists (select 1 from event_tag t where t.site_id = ${siteId} and t.tag_id = ${narrow.tagId} and t.series_id = ${eventSeries.id})`
			: undefined
	);
	const [series, upcoming] = await Promise.all([
		db().select().from(eventSeries).where(seriesWhere).orderBy(asc(eventSeries.title)).limit(200),
		db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, siteId), sql`${event.seriesId} is not null`, gte(endOf, at(now))))
			.orderBy(asc(event.startsAt))
			.limit(5000)
	]);
	return series.map((s) => {
		const own = upcoming.filter((e) => e.seriesId === s.id);
		return { series: s, upcoming: own.slice(0, next), upcomingCount: own.length };
	});
}

/** Sites with a scheduled draft event due (across sites: the scheduled-publishing job's read). */
export async function sitesWithDueEvents(now: Date): Promise<string[]> {
	const rows = await db()
		.selectDistinct({ siteId: event.siteId })
		.from(event)
		.where(and(lte(event.publishAt, now), eq(event.status, 'draft')));
	return rows.map((r) => r.siteId);
}

/** Published dates of series (every site) starting in [from, to), by site: the ones entering the fediverse's window. */
export async function publishedOccurrencesStarting(from: Date, to: Date): Promise<EventRow[]> {
	return db()
		.select()
		.from(event)
		.where(and(isNotNull(event.seriesId), eq(event.status, 'published'), gte(event.startsAt, from), lt(event.startsAt, to)))
		.orderBy(asc(event.siteId), asc(event.startsAt));
}

/** Publish the site's scheduled drafts that are due; the ones published. */
export async function publishDueEvents(siteId: string, now: Date): Promise<EventRow[]> {
	return db()
		.update(event)
		.set({ status: 'published', publishAt: null, updatedAt: now })
		.where(and(eq(event.siteId, siteId), lte(event.publishAt, now), eq(event.status, 'draft')))
		.returning();
}

/** A split: the dates of `fromSeries` on or after `date` now belong to `toSeries` (their slugs stay). */
export async function moveOccurrencesFrom(siteId: string, fromSeries: string, toSeries: string, date: string): Promise<number> {
	const rows = await db()
		.update(event)
		.set({ seriesId: toSeries, updatedAt: new Date() })
		.where(and(eq(event.siteId, siteId), eq(event.seriesId, fromSeries), gte(event.occurrenceDate, date)))
		.returning({ id: event.id });
	return rows.length;
}
