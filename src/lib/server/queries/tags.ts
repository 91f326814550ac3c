/** Tags of one site and what they are on. Every function takes the site id first and filters by it. */
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { db } from '../db';
import { event, eventTag, tag } from '../db/schema';

export type TagRow = typeof tag.$inferSelect;
export type TagInput = Omit<typeof tag.$inferInsert, 'id' | 'siteId' | 'createdAt' | 'updatedAt'>;

export async function listTags(siteId: string): Promise<TagRow[]> {
	return db().select().from(tag).where(eq(tag.siteId, siteId)).orderBy(asc(tag.name)).limit(200);
}

export async function getTag(siteId: string, tagId: string): Promise<TagRow | undefined> {
	const [row] = await db()
		.select()
		.from(tag)
		.where(and(eq(tag.siteId, siteId), eq(tag.id, tagId)));
	return row;
}

export async function getTagBySlug(siteId: string, slug: string): Promise<TagRow | undefined> {
	const [row] = await db()
		.select()
		.from(tag)
		.where(and(eq(tag.siteId, siteId), eq(tag.slug, slug)));
	return row;
}

export async function getTagsByIds(siteId: string, ids: string[]): Promise<TagRow[]> {
	if (!ids.length) return [];
	return db()
		.select()
		.from(tag)
		.where(and(eq(tag.siteId, siteId), inArray(tag.id, [...new Set(ids)])));
}

export async function createTag(siteId: string, input: TagInput): Promise<TagRow> {
	const [row] = await db()
		.insert(tag)
		.values({ ...input, siteId })
		.returning();
	return row!;
}

export async function updateTag(siteId: string, tagId: string, input: Partial<TagInput>): Promise<TagRow | undefined> {
	const [row] = await db()
		.update(tag)
		.set({ ...input, updatedAt: new Date() })
		.where(and(eq(tag.siteId, siteId), eq(tag.id, tagId)))
		.returning();
	return row;
}

/** Deletes the tag; the foreign key removes it from every event and series. */
export async function deleteTagRow(siteId: string, tagId: string): Promise<TagRow | undefined> {
	const [row] = await db()
		.delete(tag)
		.where(and(eq(tag.siteId, siteId), eq(tag.id, tagId)))
		.returning();
	return row;
}

/** The tag ids of one event or one series. */
export async function listTagIdsOf(siteId: string, target: { eventId: string } | { seriesId: string }): Promise<string[]> {
	const where = 'eventId' in target ? eq(eventTag.eventId, target.eventId) : eq(eventTag.seriesId, target.seriesId);
	const rows = await db()
		.select({ tagId: eventTag.tagId })
		.from(eventTag)
		.where(and(eq(eventTag.siteId, siteId), where));
	return rows.map((r) => r.tagId);
}

/** Replace the tags of one event or one series (ids already checked to be the site's). */
export async function setTagsOf(siteId: string, target: { eventId: string } | { seriesId: string }, tagIds: string[]): Promise<void> {
	const where = 'eventId' in target ? eq(eventTag.eventId, target.eventId) : eq(eventTag.seriesId, target.seriesId);
	await db()
		.delete(eventTag)
		.where(and(eq(eventTag.siteId, siteId), where));
	if (tagIds.length)
		await db()
			.insert(eventTag)
			.values(tagIds.map((tagId) => ({ siteId, tagId, ...target })));
}

/**
 * Tags per event row: its own, or for a date of a series its series' tags (one query for a list).
 */
export async function listTagsForEvents(siteId: string, rows: { id: string; seriesId: string | null }[]): Promise<Map<string, TagRow[]>> {
	const out = new Map<string, TagRow[]>();
	if (!rows.length) return out;
	const eventIds = rows.filter((r) => !r.seriesId).map((r) => r.id);
	const seriesIds = [...new Set(rows.map((r) => r.seriesId).filter((s): s is string => !!s))];
	const targets: SQL[] = [];
	if (eventIds.length) targets.push(inArray(eventTag.eventId, eventIds));
	if (seriesIds.length) targets.push(inArray(eventTag.seriesId, seriesIds));
	const links = await db()
		.select({ eventId: eventTag.eventId, seriesId: eventTag.seriesId, tag })
		.from(eventTag)
		.innerJoin(tag, and(eq(tag.siteId, eventTag.siteId), eq(tag.id, eventTag.tagId)))
		.where(and(eq(eventTag.siteId, siteId), or(...targets)))
		.orderBy(asc(tag.name));
	for (const r of rows) {
		const key = r.seriesId ? { seriesId: r.seriesId } : { eventId: r.id };
		out.set(
			r.id,
			links.filter((l) => ('seriesId' in key ? l.seriesId === key.seriesId : l.eventId === key.eventId)).map((l) => l.tag)
		);
	}
	return out;
}

/** SQL condition: the event (or its series) carries this tag. For the event queries' WHERE. */
export function eventHasTag(siteId: string, tagId: string): SQL {
	return sql`exists (select 1 from ${eventTag} where ${eventTag.siteId} = ${siteId} and ${eventTag.tagId} = ${tagId} and (${eventTag.eventId} = ${event.id} or (${eventTag.seriesId} = ${event.seriesId})))`;
}
