/**
 * The site's fediverse followers: remote follows accepted from the inbox (fediverse/inbox.ts,
 * signature already verified by Fedify), and the Fediverse admin screen (admins and up): the
 * handle, the followers, how delivery to them went, and removing one.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Follow, Reject } from '@fedify/fedify/vocab';
import { notFound } from '../errors';
import { isUuid } from '../ids';
import { parseInput } from '../input';
import { siteRead } from '../db';
import { deleteFollower, deleteFollowerByActor, listFollowers, upsertFollower, type FollowerRow } from '../queries/fediverse';
import { allow, auditActor, systemActor, type SiteActor } from './actor';
import { write } from './write';
import { queueDelivery } from '../fediverse/delivery';
import { ACTOR_HANDLE, federationEnabled, siteContext } from '../fediverse/federation';

/** A verified Follow: store (or refresh) the follower and queue the Accept in the same transaction. */
export async function acceptFollower(
	siteId: string,
	follower: { actorUri: string; handle: string; inbox: string; sharedInbox: string | null },
	accept: unknown
): Promise<void> {
	await write({ siteId, actor: systemActor() }, async (w) => {
		await upsertFollower(siteId, follower);
		await queueDelivery(w, { siteId, inbox: follower.inbox, recipient: follower.actorUri, activity: accept });
	});
}

/** A verified Undo of a Follow (no-op when that actor did not follow). */
export async function removeFollowerByActor(siteId: string, actorUri: string): Promise<void> {
	await write({ siteId, actor: systemActor() }, () => deleteFollowerByActor(siteId, actorUri));
}

export interface FediverseOverview {
	enabled: boolean;
	handle: string;
	followers: FollowerRow[];
	failing: number;
}

export async function fediverseForAdmin(actor: SiteActor): Promise<FediverseOverview> {
	const who = allow(actor, 'site.fediverse');
	const followers = federationEnabled() ? await siteRead(who.site.id, () => listFollowers(who.site.id)) : [];
	return {
		enabled: federationEnabled(),
		handle: `@${ACTOR_HANDLE}@${who.site.primaryHost}`,
		followers,
		failing: followers.filter((f) => f.failures > 0).length
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
