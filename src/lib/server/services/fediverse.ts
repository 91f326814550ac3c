/**
 * The site's fediverse followers: remote follows accepted from the inbox (fediverse/inbox.ts,
 * signature already verified by Fedify), and the Fediverse admin screen (admins and up): the
 * handle, the followers, how delivery to them went, and removing one.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Delete, Follow, PUBLIC_COLLECTION, Reject } from '@fedify/fedify/vocab';
import { notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput } from '../input';
import { siteRead } from '../db';
import {
	deleteAllFollowers,
	deleteFollower,
	deleteFollowerByActor,
	deleteReaction,
	insertReaction,
	listEventReactions,
	listFollowers,
	listFormerActors,
	setSiteFediverseEnabled,
	upsertFollower,
	type EventReactions,
	type FollowerInput,
	type FollowerRow,
	type ReactionKind
} from '../queries/fediverse';
import { getPublicEvent } from '../queries/events';
import { allow, auditActor, systemActor, type SiteActor } from './actor';
import { can } from '../auth/permissions';
import { write } from './write';
import { queueDelivery, queueForFollowers } from '../fediverse/delivery';
import { ACTOR_HANDLE, federationEnabled, siteContext } from '../fediverse/federation';

/** A verified Follow: store (or refresh) the follower and queue the Accept in the same transaction. */
export async function acceptFollower(siteId: string, follower: FollowerInput, accept: unknown): Promise<void> {
	await write({ siteId, actor: systemActor() }, async (w) => {
		await upsertFollower(siteId, follower);
		await queueDelivery(w, { siteId, inbox: follower.inbox, recipient: follower.actorUri, activity: accept });
	});
}

/** A verified Undo of a Follow of `followedActorUri` (no-op when that actor does not follow it). */
export async function removeFollowerByActor(siteId: string, actorUri: string, followedActorUri: string): Promise<void> {
	await write({ siteId, actor: systemActor() }, () => deleteFollowerByActor(siteId, actorUri, followedActorUri));
}

/**
 * A verified reply to, or boost of, one of the site's public events (fediverse/inbox.ts matched
 * the event id to this site's own object URIs). Counted once per remote object; a draft or
 * unknown event counts nothing.
 */
export async function recordReaction(
	siteId: string,
	reaction: { eventId: string; kind: ReactionKind; remoteId: string; actorUri: string }
): Promise<boolean> {
	return write({ siteId, actor: systemActor() }, async () => {
		if (!(await getPublicEvent(siteId, reaction.eventId))) return false;
		return insertReaction({ siteId, ...reaction });
	});
}

/** A verified Undo of a boost, or Delete of a reply, by the actor that made it. */
export async function removeReaction(siteId: string, kind: ReactionKind, remoteId: string, actorUri: string): Promise<boolean> {
	return write({ siteId, actor: systemActor() }, () => deleteReaction(siteId, kind, remoteId, actorUri));
}

export interface FediverseOverview {
	/** FEDERATION_KEY is set: the hub federates at all. */
	enabled: boolean;
	/** This site's own switch ("Followable from the fediverse"). */
	siteEnabled: boolean;
	/** The viewer may flip that switch (owners). */
	canSwitch: boolean;
	handle: string;
	followers: FollowerRow[];
	failing: number;
	/** Replies and boosts per event (counts only: nothing of them is shown publicly). */
	reactions: EventReactions[];
	/** The handle the actor had before the latest primary-domain change, and when it moved (fediverse/move.ts). */
	movedFrom: { handle: string; movedAt: Date } | null;
}

export async function fediverseForAdmin(actor: SiteActor): Promise<FediverseOverview> {
	const who = allow(actor, 'site.fediverse');
	const on = federationEnabled();
	const followers = on ? await siteRead(who.site.id, () => listFollowers(who.site.id)) : [];
	const reactions = on ? await siteRead(who.site.id, () => listEventReactions(who.site.id)) : [];
	const [latest] = on ? await siteRead(who.site.id, () => listFormerActors(who.site.id)) : [];
	return {
		enabled: federationEnabled(),
		siteEnabled: who.site.fediverseEnabled,
		canSwitch: can(actor, 'site.fediverse_switch'),
		handle: `@${ACTOR_HANDLE}@${who.site.primaryHost}`,
		followers,
		failing: followers.filter((f) => f.failures > 0).length,
		reactions,
		movedFrom: latest ? { handle: `@${ACTOR_HANDLE}@${latest.host}`, movedAt: latest.movedAt } : null
	};
}

/** Remove one of the site's followers; the remote server is told with a Reject of its Follow. */
export async function removeFollower(actor: SiteActor, input: unknown): Promise<FollowerRow> {
	const who = allow(actor, 'site.fediverse');
	const { id } = parseInput(z.object({ id: z.string() }), input);
	if (!isUuid(id) || !federationEnabled()) throw notFound();
	const site = who.site;
	return write({ siteId: site.id, actor: auditActor(who) }, async (w) => {
		const row = await deleteFollower(site.id, id);
		if (!row) throw notFound();
		const ctx = siteContext(site);
		const me = ctx.getActorUri(ACTOR_HANDLE);
		const reject = new Reject({
			id: new URL(`#rejects/${randomUUID()}`, me),
			actor: me,
			object: new Follow({ actor: new URL(row.actorUri), object: me })
		});
		await queueDelivery(w, {
			siteId: site.id,
			inbox: row.inbox,
			recipient: row.actorUri,
			activity: await reject.toJsonLd({ contextLoader: ctx.contextLoader })
		});
		await w.audit({ action: 'fediverse.follower_remove', targetType: 'follower', targetId: row.id, target: row.handle || row.actorUri });
		return row;
	});
}

/**
 * Owners: whether the site is followable from the fediverse. Off: every follower is sent a
 * `Delete` of the actor (through the delivery queue, signed while the keys still exist; the
 * jobs carry `farewell` so they go out although the site is now off), the followers are
 * forgotten, and the actor, WebFinger and inbox answer 410 Gone (federation.ts). On again: the
 * same actor and keys, followed by nobody until people follow again.
 */
export async function setFediverseEnabled(actor: SiteActor, input: unknown): Promise<{ enabled: boolean; told: number }> {
	const who = allow(actor, 'site.fediverse_switch');
	const { enabled } = parseInput(z.object({ enabled: fields.checkbox() }), input);
	if (!federationEnabled()) throw notFound();
	const site = who.site;
	if (site.fediverseEnabled === enabled) return { enabled, told: 0 };
	return write({ siteId: site.id, actor: auditActor(who) }, async (w) => {
		let told = 0;
		if (!enabled) {
			const ctx = siteContext(site);
			const me = ctx.getActorUri(ACTOR_HANDLE);
			const farewell = new Delete({
				id: new URL(`#delete/${randomUUID()}`, me),
				actor: me,
				to: PUBLIC_COLLECTION,
				cc: ctx.getFollowersUri(ACTOR_HANDLE),
				object: me
			});
			told = await queueForFollowers(w, site.id, await farewell.toJsonLd({ contextLoader: ctx.contextLoader }), { farewell: true });
			await deleteAllFollowers(site.id);
		}
		if (!(await setSiteFediverseEnabled(site.id, enabled))) throw notFound();
		await w.audit({
			action: enabled ? 'fediverse.enabled' : 'fediverse.disabled',
			targetType: 'site',
			targetId: site.id,
			target: `@${ACTOR_HANDLE}@${site.primaryHost}`
		});
		// The switch lives in the cached site context.
		w.changed({ type: 'hosts', siteId: site.id, hosts: [] });
		return { enabled, told };
	});
}
