/** Places (reusable venues) of one site. Every function takes the site id first and filters by it. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { db } from '../db';
import { event, eventSeries, place } from '../db/schema';

export type PlaceRow = typeof place.$inferSelect;
export type PlaceInput = Omit<typeof place.$inferInsert, 'id' | 'siteId' | 'createdAt' | 'updatedAt'>;

export async function listPlaces(siteId: string): Promise<PlaceRow[]> {
	return db().select().from(place).where(eq(place.siteId, siteId)).orderBy(asc(place.name)).limit(500);
}

export async function getPlace(siteId: string, placeId: string): Promise<PlaceRow | undefined> {
	const [row] = await db()
		.select()
		.from(place)
		.where(and(eq(place.siteId, siteId), eq(place.id, placeId)));
	return row;
}

export async function getPlaceBySlug(siteId: string, slug: string): Promise<PlaceRow | undefined> {
	const [row] = await db()
		.select()
		.from(place)
		.where(and(eq(place.siteId, siteId), eq(place.slug, slug)));
	return row;
}

export async function getPlacesByIds(siteId: string, ids: string[]): Promise<PlaceRow[]> {
	if (!ids.length) return [];
	return db()
		.select()
		.from(place)
		.where(and(eq(place.siteId, siteId), inArray(place.id, [...new Set(ids)])));
}

export async function createPlace(siteId: string, input: PlaceInput): Promise<PlaceRow> {
	const [row] = await db()
		.insert(place)
		.values({ ...input, siteId })
		.returning();
	return row!;
}

export async function updatePlace(siteId: string, placeId: string, input: Partial<PlaceInput>): Promise<PlaceRow | undefined> {
	const [row] = await db()
		.update(place)
		.set({ ...input, updatedAt: new Date() })
		.where(and(eq(place.siteId, siteId), eq(place.id, placeId)))
		.returning();
	return row;
}

/**
 * Deletes the place; its events and series keep the venue's name and address as typed text
 * (copied in the same statement order inside the caller's transaction).
 */
export async function deletePlaceRow(siteId: string, row: PlaceRow): Promise<PlaceRow | undefined> {
	const keep = { placeId: null, venueName: row.name, venueAddress: row.address, updatedAt: new Date() };
	await db()
		.update(event)
		.set(keep)
		.where(and(eq(event.siteId, siteId), eq(event.placeId, row.id)));
	await db()
		.update(eventSeries)
		.set(keep)
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.placeId, row.id)));
	const [deleted] = await db()
		.delete(place)
		.where(and(eq(place.siteId, siteId), eq(place.id, row.id)))
		.returning();
	return deleted;
}

/** Events and series held at the place take its (new) name and address. */
export async function copyPlaceToEvents(siteId: string, row: PlaceRow): Promise<void> {
	const venue = { venueName: row.name, venueAddress: row.address, updatedAt: new Date() };
	await db()
		.update(event)
		.set(venue)
		.where(and(eq(event.siteId, siteId), eq(event.placeId, row.id)));
	await db()
		.update(eventSeries)
		.set(venue)
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.placeId, row.id)));
}
