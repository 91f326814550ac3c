/** Saved versions (revisions) and autosaved drafts of pages, events, series and the homepage. */
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import { db } from '../db';
import { draft, revision } from '../db/schema';

export type RevisionRow = typeof revision.$inferSelect;
export type DraftRow = typeof draft.$inferSelect;
export type RevisionTarget = 'page' | 'event' | 'series' | 'home';

export interface RevisionInput {
	targetType: RevisionTarget;
	targetId: string;
	title: string;
	data: Record<string, unknown>;
	authorId: string | null;
	authorName: string;
	restoredFrom?: string | null;
}

export async function insertRevision(siteId: string, input: RevisionInput): Promise<RevisionRow> {
	const [row] = await db()
		.insert(revision)
		.values({ ...input, siteId })
		.returning();
	return row!;
}

/** Keep the newest `keep` revisions of one target, delete the older ones. */
export async function pruneRevisions(siteId: string, targetType: RevisionTarget, targetId: string, keep: number): Promise<void> {
	const target = and(eq(revision.siteId, siteId), eq(revision.targetType, targetType), eq(revision.targetId, targetId));
	const kept = db()
		.select({ id: revision.id })
		.from(revision)
		.where(target)
		.orderBy(desc(revision.createdAt), desc(revision.id))
		.limit(keep);
	await db()
		.delete(revision)
		.where(and(target, notInArray(revision.id, kept)));
}

/** A target's revisions, newest first. */
export async function listRevisions(siteId: string, targetType: RevisionTarget, targetId: string): Promise<RevisionRow[]> {
	return db()
		.select()
		.from(revision)
		.where(and(eq(revision.siteId, siteId), eq(revision.targetType, targetType), eq(revision.targetId, targetId)))
		.orderBy(desc(revision.createdAt), desc(revision.id));
}

export async function getRevision(
	siteId: string,
	targetType: RevisionTarget,
	targetId: string,
	id: string
): Promise<RevisionRow | undefined> {
	const [row] = await db()
		.select()
		.from(revision)
		.where(and(eq(revision.siteId, siteId), eq(revision.targetType, targetType), eq(revision.targetId, targetId), eq(revision.id, id)));
	return row;
}

/** When this person last saved this target (null: never, or not among the kept revisions). */
export async function lastSavedBy(siteId: string, targetType: RevisionTarget, targetId: string, userId: string): Promise<Date | null> {
	const [row] = await db()
		.select({ createdAt: revision.createdAt })
		.from(revision)
		.where(
			and(eq(revision.siteId, siteId), eq(revision.targetType, targetType), eq(revision.targetId, targetId), eq(revision.authorId, userId))
		)
		.orderBy(desc(revision.createdAt))
		.limit(1);
	return row?.createdAt ?? null;
}

export async function getDraft(siteId: string, userId: string, key: string): Promise<DraftRow | undefined> {
	const [row] = await db()
		.select()
		.from(draft)
		.where(and(eq(draft.siteId, siteId), eq(draft.userId, userId), eq(draft.key, key)));
	return row;
}

export async function listDrafts(siteId: string, userId: string): Promise<DraftRow[]> {
	return db()
		.select()
		.from(draft)
		.where(and(eq(draft.siteId, siteId), eq(draft.userId, userId)))
		.orderBy(desc(draft.updatedAt));
}

export async function upsertDraft(siteId: string, userId: string, key: string, data: Record<string, string | string[]>): Promise<DraftRow> {
	const updatedAt = new Date();
	const [row] = await db()
		.insert(draft)
		.values({ siteId, userId, key, data, updatedAt })
		.onConflictDoUpdate({ target: [draft.siteId, draft.userId, draft.key], set: { data, updatedAt } })
		.returning();
	return row!;
}

export async function deleteDrafts(siteId: string, userId: string, keys: string[]): Promise<void> {
	if (!keys.length) return;
	await db()
		.delete(draft)
		.where(and(eq(draft.siteId, siteId), eq(draft.userId, userId), inArray(draft.key, keys)));
}
