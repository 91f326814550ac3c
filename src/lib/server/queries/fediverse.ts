/** The site actor's key pairs and followers (fediverse/). */
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { db } from '../db';
import { event, site, siteFederationKey, siteFediverseReaction, siteFollower, siteFormerActor } from '../db/schema';

export type FederationKeyRow = typeof siteFederationKey.$inferSelect;
export type FollowerRow = typeof siteFollower.$inferSelect;
export type FormerActorRow = typeof siteFormerActor.$inferSelect;

export function listFederationKeys(siteId: string): Promise<FederationKeyRow[]> {
	return db().select().from(siteFederationKey).where(eq(siteFederationKey.siteId, siteId)).orderBy(asc(siteFederationKey.createdAt));
}

/** Keeps the first pair of an algorithm: two requests making one at once agree on the stored one. */
export async function insertFederationKey(row: typeof siteFederationKey.$inferInsert): Promise<void> {
	await db().insert(siteFederationKey).values(row).onConflictDoNothing();
}

export function listFollowers(siteId: string): Promise<FollowerRow[]> {
	return db().select().from(siteFollower).where(eq(siteFollower.siteId, siteId)).orderBy(asc(siteFollower.acceptedAt));
}

export async function countFollowers(siteId: string): Promise<number> {
	const [row] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(siteFollower)
		.where(eq(siteFollower.siteId, siteId));
	return row?.n ?? 0;
}

export interface FollowerInput {
	actorUri: string;
	handle: string;
	inbox: string;
	sharedInbox: string | null;
	/** The actor id the Follow named (see the column). */
	followedActorUri?: string | null;
}

/** One row per remote actor: following again (the new actor after a Move, say) refreshes it. */
export async function upsertFollower(siteId: string, follower: FollowerInput): Promise<FollowerRow> {
	const [row] = await db()
		.insert(siteFollower)
		.values({ siteId, ...follower })
		.onConflictDoUpdate({
			target: [siteFollower.siteId, siteFollower.actorUri],
			set: {
				handle: follower.handle,
				inbox: follower.inbox,
				sharedInbox: follower.sharedInbox,
				...(follower.followedActorUri ? { followedActorUri: follower.followedActorUri } : {})
			}
		})
		.returning();
	return row!;
}

/**
 * An Undo of the follow of `followedActorUri`: the row goes unless it follows another of the
 * site's actor ids now (re-followed the new actor after a Move: the old follow's Undo is moot).
 */
export async function deleteFollowerByActor(siteId: string, actorUri: string, followedActorUri: string): Promise<FollowerRow | undefined> {
	const [row] = await db()
		.delete(siteFollower)
		.where(
			and(
				eq(siteFollower.siteId, siteId),
				eq(siteFollower.actorUri, actorUri),
				or(isNull(siteFollower.followedActorUri), eq(siteFollower.followedActorUri, followedActorUri))
			)
		)
		.returning();
	return row;
}

export async function deleteFollower(siteId: string, id: string): Promise<FollowerRow | undefined> {
	const [row] = await db()
		.delete(siteFollower)
		.where(and(eq(siteFollower.siteId, siteId), eq(siteFollower.id, id)))
		.returning();
	return row;
}

/** Where one delivery for `inbox` went: every follower reached through it. */
export async function recordDelivery(siteId: string, inbox: string, error: string | null): Promise<void> {
	const through = and(eq(siteFollower.siteId, siteId), or(eq(siteFollower.inbox, inbox), eq(siteFollower.sharedInbox, inbox)));
	if (error === null) {
		await db().update(siteFollower).set({ lastDeliveredAt: new Date(), failures: 0 }).where(through);
	} else {
		await db()
			.update(siteFollower)
			.set({ lastError: error.slice(0, 500), lastErrorAt: new Date(), failures: sql`${siteFollower.failures} + 1` })
			.where(through);
	}
}

/** Every follower goes (federation turned off: turned on again, the site starts with none). */
export async function deleteAllFollowers(siteId: string): Promise<number> {
	const rows = await db().delete(siteFollower).where(eq(siteFollower.siteId, siteId)).returning({ id: siteFollower.id });
	return rows.length;
}

export async function setSiteFediverseEnabled(siteId: string, enabled: boolean): Promise<boolean> {
	const rows = await db()
		.update(site)
		.set({ fediverseEnabled: enabled, updatedAt: new Date() })
		.where(eq(site.id, siteId))
		.returning({ id: site.id });
	return rows.length > 0;
}

// ---- Former actors (a primary-domain change: fediverse/move.ts) ----

/** The site's former actors, the latest move first. */
export function listFormerActors(siteId: string): Promise<FormerActorRow[]> {
	return db().select().from(siteFormerActor).where(eq(siteFormerActor.siteId, siteId)).orderBy(desc(siteFormerActor.movedAt));
}

export async function getFormerActor(siteId: string, host: string): Promise<FormerActorRow | undefined> {
	const [row] = await db()
		.select()
		.from(siteFormerActor)
		.where(and(eq(siteFormerActor.siteId, siteId), eq(siteFormerActor.host, host)));
	return row;
}

/** The actor left `host` (again: the move is dated now). */
export async function recordFormerActor(siteId: string, row: { host: string; actorUri: string; inboxesTold: number }): Promise<void> {
	await db()
		.insert(siteFormerActor)
		.values({ siteId, ...row })
		.onConflictDoUpdate({
			target: [siteFormerActor.siteId, siteFormerActor.host],
			set: { actorUri: row.actorUri, inboxesTold: row.inboxesTold, movedAt: new Date() }
		});
}

/** `host` is not a former actor's any more (the actor is back there, or the domain left the site). */
export async function forgetFormerActor(siteId: string, host: string): Promise<void> {
	await db()
		.delete(siteFormerActor)
		.where(and(eq(siteFormerActor.siteId, siteId), eq(siteFormerActor.host, host)));
}

export type ReactionKind = (typeof siteFediverseReaction.$inferSelect)['kind'];

/** Counted once per remote object: a redelivery (or the same reply in another Create) adds nothing. */
export async function insertReaction(row: typeof siteFediverseReaction.$inferInsert): Promise<boolean> {
	const rows = await db().insert(siteFediverseReaction).values(row).onConflictDoNothing().returning({ id: siteFediverseReaction.id });
	return rows.length > 0;
}

/** Only the actor that made it can take it back (an Undo or Delete names its own actor). */
export async function deleteReaction(siteId: string, kind: ReactionKind, remoteId: string, actorUri: string): Promise<boolean> {
	const rows = await db()
		.delete(siteFediverseReaction)
		.where(
			and(
				eq(siteFediverseReaction.siteId, siteId),
				eq(siteFediverseReaction.kind, kind),
				eq(siteFediverseReaction.remoteId, remoteId),
				eq(siteFediverseReaction.actorUri, actorUri)
			)
		)
		.returning({ id: siteFediverseReaction.id });
	return rows.length > 0;
}

export interface EventReactions {
	eventId: string;
	title: string;
	replies: number;
	boosts: number;
}

/** The site's events with any replies or boosts, the latest-starting first. */
export function listEventReactions(siteId: string, limit = 20): Promise<EventReactions[]> {
	return db()
		.select({
			eventId: event.id,
			title: event.title,
			replies: sql<number>`count(*) filter (where ${siteFediverseReaction.kind} = 'reply')::int`,
			boosts: sql<number>`count(*) filter (where ${siteFediverseReaction.kind} = 'boost')::int`
		})
		.from(siteFediverseReaction)
		.innerJoin(event, and(eq(event.id, siteFediverseReaction.eventId), eq(event.siteId, siteFediverseReaction.siteId)))
		.where(eq(siteFediverseReaction.siteId, siteId))
		.groupBy(event.id, event.title, event.startsAt)
		.orderBy(desc(event.startsAt))
		.limit(limit);
}
