/**
 * What the site's inbox does with what Fedify verified (signature checked, key owned by the
 * activity's actor): a Follow of the site's actor makes a follower and queues the Accept; an Undo
 * of a Follow removes the follower. Everything else is ignored (202, nothing stored).
 */
import { randomUUID } from 'node:crypto';
import type { InboxContext } from '@fedify/fedify';
import { Accept, Follow, isActor, type Undo } from '@fedify/fedify/vocab';
import { acceptFollower, removeFollowerByActor } from '../services/fediverse';
import { ACTOR_HANDLE, type FederationData } from './federation';

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
			sharedInbox: follower.endpoints?.sharedInbox?.href ?? null
		},
		await accept.toJsonLd({ contextLoader: ctx.contextLoader })
	);
}

export async function onUndo(ctx: InboxContext<FederationData>, undo: Undo): Promise<void> {
	if (!undo.actorId) return;
	const object = await undo.getObject(ctx);
	if (!(object instanceof Follow) || object.actorId?.href !== undo.actorId.href) return;
	const target = object.objectId && ctx.parseUri(object.objectId);
	if (!target || target.type !== 'actor' || target.identifier !== ACTOR_HANDLE) return;
	await removeFollowerByActor(ctx.data.site.id, undo.actorId.href);
}
