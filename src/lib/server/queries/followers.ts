/** Followers of a site, what they were told, the digest schedule, and sign-up rate counters. */
import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import { event, follower, followerNotice, rateLimit, siteMailSetting } from '../db/schema';

export type FollowerRow = typeof follower.$inferSelect;

export async function getFollowerByEmail(siteId: string, email: string): Promise<FollowerRow | undefined> {
	const [row] = await db()
		.select()
		.from(follower)
		.where(and(eq(follower.siteId, siteId), eq(follower.email, email)))
		.limit(1);
	return row;
}

/** A new pending follower, or the waiting one with a fresh confirmation token. */
export async function upsertPendingFollower(siteId: string, email: string, confirmTokenHash: string): Promise<FollowerRow> {
	const [row] = await db()
		.insert(follower)
		.values({ siteId, email, confirmTokenHash })
		.onConflictDoUpdate({ target: [follower.siteId, follower.email], set: { confirmTokenHash }, where: eq(follower.status, 'pending') })
		.returning();
	return row!;
}

export async function confirmFollowerByTokenHash(siteId: string, tokenHash: string, now: Date): Promise<FollowerRow | undefined> {
	const [row] = await db()
		.update(follower)
		.set({ status: 'confirmed', confirmTokenHash: null, confirmedAt: now })
		.where(and(eq(follower.siteId, siteId), eq(follower.confirmTokenHash, tokenHash)))
		.returning();
	return row;
}

export async function deleteFollower(siteId: string, followerId: string): Promise<FollowerRow | undefined> {
	const [row] = await db()
		.delete(follower)
		.where(and(eq(follower.siteId, siteId), eq(follower.id, followerId)))
		.returning();
	return row;
}

export async function listFollowers(siteId: string): Promise<FollowerRow[]> {
	return db().select().from(follower).where(eq(follower.siteId, siteId)).orderBy(asc(follower.createdAt), asc(follower.email));
}

export async function countFollowers(siteId: string): Promise<{ confirmed: number; pending: number }> {
	const rows = await db()
		.select({ status: follower.status, n: count() })
		.from(follower)
		.where(eq(follower.siteId, siteId))
		.groupBy(follower.status);
	return {
		confirmed: Number(rows.find((r) => r.status === 'confirmed')?.n ?? 0),
		pending: Number(rows.find((r) => r.status === 'pending')?.n ?? 0)
	};
}

export async function listConfirmedFollowers(siteId: string): Promise<FollowerRow[]> {
	return db()
		.select()
		.from(follower)
		.where(and(eq(follower.siteId, siteId), eq(follower.status, 'confirmed')))
		.orderBy(asc(follower.id));
}

/** Confirmed followers who were told about the event (in a digest). */
export async function listFollowersToldOf(siteId: string, eventId: string): Promise<FollowerRow[]> {
	return db()
		.select({ follower })
		.from(followerNotice)
		.innerJoin(follower, and(eq(follower.id, followerNotice.followerId), eq(follower.siteId, followerNotice.siteId)))
		.where(and(eq(followerNotice.siteId, siteId), eq(followerNotice.eventId, eventId), eq(follower.status, 'confirmed')))
		.then((rows) => rows.map((r) => r.follower));
}

export async function recordNotices(siteId: string, followerId: string, eventIds: string[]): Promise<void> {
	if (eventIds.length === 0) return;
	await db()
		.insert(followerNotice)
		.values(eventIds.map((eventId) => ({ siteId, followerId, eventId })))
		.onConflictDoNothing();
}

/** Published events starting in [from, to), soonest first: a digest's week. */
export async function listEventsStartingBetween(siteId: string, from: Date, to: Date) {
	return db()
		.select()
		.from(event)
		.where(
			and(
				eq(event.siteId, siteId),
				eq(event.status, 'published'),
				gte(event.startsAt, sql.param(from, event.startsAt)),
				lt(event.startsAt, sql.param(to, event.startsAt))
			)
		)
		.orderBy(asc(event.startsAt))
		.limit(100);
}

export const DEFAULT_DIGEST = { digestWeekday: 1, digestHour: 9, lastDigestOn: null as string | null };

export async function getMailSetting(siteId: string) {
	const [row] = await db().select().from(siteMailSetting).where(eq(siteMailSetting.siteId, siteId)).limit(1);
	return row ?? { siteId, ...DEFAULT_DIGEST };
}

export async function saveMailSetting(siteId: string, values: { digestWeekday: number; digestHour: number }): Promise<void> {
	await db()
		.insert(siteMailSetting)
		.values({ siteId, ...values })
		.onConflictDoUpdate({ target: siteMailSetting.siteId, set: { ...values, updatedAt: new Date() } });
}

/** Claim the digest of `localDate` for a site: false when it was already claimed (sent once a week). */
export async function claimDigest(siteId: string, localDate: string): Promise<boolean> {
	const rows = await db()
		.insert(siteMailSetting)
		.values({ siteId, ...DEFAULT_DIGEST, lastDigestOn: localDate })
		.onConflictDoUpdate({
			target: siteMailSetting.siteId,
			set: { lastDigestOn: localDate },
			where: sql`${siteMailSetting.lastDigestOn} is distinct from ${localDate}`
		})
		.returning({ siteId: siteMailSetting.siteId });
	return rows.length > 0;
}

/** Sites that have confirmed followers (the digest job looks only at them). */
export async function listSitesWithFollowers(): Promise<string[]> {
	const rows = await db().selectDistinct({ siteId: follower.siteId }).from(follower).where(eq(follower.status, 'confirmed'));
	return rows.map((r) => r.siteId);
}

/**
 * Count one hit of `key` in the fixed window that started at the key's first hit (the `rate_limit`
 * table, shared with sign-in's limits and cleared by the hourly clean-up); returns the count.
 */
export async function hitRateLimit(key: string, windowMs: number, now = Date.now()): Promise<number> {
	const start = now - windowMs;
	const [row] = await db()
		.insert(rateLimit)
		.values({ id: randomUUID(), key, count: 1, lastRequest: now })
		.onConflictDoUpdate({
			target: rateLimit.key,
			set: {
				count: sql`case when ${rateLimit.lastRequest} < ${start} then 1 else ${rateLimit.count} + 1 end`,
				lastRequest: sql`case when ${rateLimit.lastRequest} < ${start} then ${now} else ${rateLimit.lastRequest} end`
			}
		})
		.returning({ count: rateLimit.count });
	return row!.count;
}
