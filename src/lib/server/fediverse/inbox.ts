/**
 * What the site's inbox does with what Fedify verified (signature checked, key owned by the
 * activity's actor): a Follow of the site's actor makes a follower and queues the Accept; an Undo
 * of a Follow removes the follower (unless it has since followed the actor's new id: move.ts). A
 * reply (Create of a Note in reply to one of the site's event objects) or a boost (Announce of
 * one) is counted for the owners; its Delete or Undo un-counts it. Everything else is logged
 * (type, actor, object: what an operator needs to see that a server reaches us) and otherwise
 * ignored (202, nothing stored).
 */
import { randomUUID } from 'node:crypto';
import type { InboxContext } from '@fedify/fedify';
import {
	Accept,
	Announce,
	Article,
	Event,
	Follow,
	isActor,
	Note,
	Place,
	type Activity,
	type Create,
	type Delete,
	type Undo
} from '@fedify/fedify/vocab';
import { log } from '../log';
import { acceptFollower, recordReaction, removeFollowerByActor, removeReaction } from '../services/fediverse';
import { ACTOR_HANDLE, type FederationData } from './federation';
import { eventIdOfObjectUri } from './objects';

export async function onFollow(ctx: InboxContext<FederationData>, follow: Follow): Promise<void> {
	if (!follow.id || !follow.actorId || !follow.objectId) return;
	const target = ctx.parseUri(follow.objectId);
	if (target?.type !== 'actor' || target.identifier !== ACTOR_HANDLE) return;
	const follower = await follow.getActor(ctx);
	if (!isActor(follower) || !follower.id || !follower.inboxId || follower.id.href !== follow.actorId.href) return;
	const me = ctx.getActorUri(ACTOR_HANDLE);
	const accept = new Accept({ id: new URL(`#accepts/${randomUUID()}`, me), actor: me, object: follow });
	await acceptFollower(
		ctx.data.site.id,
		{
			actorUri: follower.id.href,
			handle: follower.preferredUsername ? `@${follower.preferredUsername}@${follower.id.host}` : '',
			inbox: follower.inboxId.href,
			sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
			followedActorUri: me.href
		},
		await accept.toJsonLd({ contextLoader: ctx.contextLoader })
	);
}

export async function onUndo(ctx: InboxContext<FederationData>, undo: Undo): Promise<void> {
	if (!undo.actorId) return;
	const object = await undo.getObject(ctx);
	if (object instanceof Announce) {
		if (object.id) await removeReaction(ctx.data.site.id, 'boost', object.id.href, undo.actorId.href);
		return;
	}
	if (!(object instanceof Follow) || object.actorId?.href !== undo.actorId.href) return;
	const followed = object.objectId;
	const target = followed && ctx.parseUri(followed);
	if (!followed || !target || target.type !== 'actor' || target.identifier !== ACTOR_HANDLE) return;
	await removeFollowerByActor(ctx.data.site.id, undo.actorId.href, followed.href);
}

/** A boost of one of the site's events: the object is only looked at by its id (never fetched). */
export async function onAnnounce(ctx: InboxContext<FederationData>, announce: Announce): Promise<void> {
	const eventId = eventIdOfObjectUri(ctx.data.site, announce.objectId);
	if (!eventId || !announce.id || !announce.actorId) return onOtherActivity(ctx, announce);
	await recordReaction(ctx.data.site.id, { eventId, kind: 'boost', remoteId: announce.id.href, actorUri: announce.actorId.href });
}

/**
 * A reply to one of the site's events: the Note must be the activity's actor's own (its
 * attribution), as Mastodon checks, so nobody can count a reply in another's name.
 */
export async function onCreate(ctx: InboxContext<FederationData>, create: Create): Promise<void> {
	const note = await create.getObject({ ...ctx, crossOrigin: 'ignore', suppressError: true }).catch(() => null);
	if (!(note instanceof Note || note instanceof Article)) return onOtherActivity(ctx, create);
	const eventId = eventIdOfObjectUri(ctx.data.site, note.replyTargetId);
	const actor = create.actorId;
	if (!eventId || !note.id || !actor || note.attributionId?.href !== actor.href) return onOtherActivity(ctx, create);
	await recordReaction(ctx.data.site.id, { eventId, kind: 'reply', remoteId: note.id.href, actorUri: actor.href });
}

/** A deleted reply (the Delete names the Note or its Tombstone by id) is no longer counted. */
export async function onDelete(ctx: InboxContext<FederationData>, del: Delete): Promise<void> {
	const removed = del.objectId && del.actorId && (await removeReaction(ctx.data.site.id, 'reply', del.objectId.href, del.actorId.href));
	// Not a reply we counted (another server's event, an account): logged as before.
	if (!removed) await onOtherActivity(ctx, del);
}

/**
 * Any other verified activity (Fedify dispatches to the closest registered class: this is the
 * rest). An Event it carries is summed up (name, time, place, link), as an operator checking that
 * another server's events reach this one wants to see.
 */
export async function onOtherActivity(ctx: InboxContext<FederationData>, activity: Activity): Promise<void> {
	const object = await activity.getObject({ ...ctx, crossOrigin: 'ignore', suppressError: true }).catch(() => null);
	const place = object instanceof Event ? await object.getLocation({ ...ctx, suppressError: true }).catch(() => null) : null;
	log.info('fediverse activity received', {
		site: ctx.data.site.slug,
		type: activity.constructor.name,
		id: activity.id?.href ?? null,
		actor: activity.actorId?.href ?? null,
		object: activity.objectId?.href ?? null,
		...(object instanceof Event
			? {
					event: {
						name: object.name?.toString() ?? null,
						startTime: object.startTime?.toString() ?? null,
						endTime: object.endTime?.toString() ?? null,
						place: place instanceof Place ? (place.name?.toString() ?? null) : null,
						url: object.url instanceof URL ? object.url.href : null
					}
				}
			: {})
	});
}
