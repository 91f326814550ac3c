/**
 * A primary-domain change moves the site's actor the way Mastodon moves an account, so its
 * followers follow it to the new address instead of being lost:
 *
 * - the former actor id is kept (`site_former_actor`); the current actor lists the former ids as
 *   `alsoKnownAs`, which Mastodon checks before it honours a Move (federation.ts);
 * - every follower's inbox (each shared inbox once) is sent a `Move` signed by the former actor
 *   (actor and object: the former id; target: the new one), queued in the domain change's own
 *   write, so it exists exactly when the change commits, and delivered with the usual retries;
 * - while the former host still serves the site, its actor paths (actor, inboxes, WebFinger)
 *   answer the former actor, with `movedTo` the new one, instead of redirecting: a server
 *   checking the Move, or someone with the old handle, finds where the actor went.
 *
 * The follower rows stay as they are (a re-Follow of the new actor refreshes the same row).
 * Changing back (A → B → A) moves again, from B to A; A is then no former actor of itself.
 */
import { randomUUID } from 'node:crypto';
import { Move } from '@fedify/fedify/vocab';
import type { SiteContext } from '../hosts/site-context';
import type { Write } from '../services/write';
import { siteRead } from '../db';
import { forgetFormerActor, getFormerActor, recordFormerActor } from '../queries/fediverse';
import { queueForFollowers } from './delivery';
import { ACTOR_HANDLE, federationEnabled, siteContext } from './federation';

/** What a former actor host answers itself (the rest of it redirects to the primary host). */
const FORMER_ACTOR_PATH = /^\/(?:\.well-known\/webfinger|ap\/inbox|ap\/actor\/[^/]+(?:\/inbox|\/followers)?)$/;

/**
 * Whether a request on `host`, a non-primary host of the site, is for the actor that lived there
 * (the hosts handle then lets it through to federation.ts instead of redirecting). Only this
 * site's own rows are read: another site's host never shows this site's former actor.
 */
export async function servesFormerActor(siteId: string, host: string, path: string): Promise<boolean> {
	if (!federationEnabled() || !FORMER_ACTOR_PATH.test(path)) return false;
	return Boolean(await siteRead(siteId, () => getFormerActor(siteId, host)));
}

/**
 * In the write that makes `newHost` the site's primary host (services/domains.ts): remember the
 * actor on the old primary host and queue its Move for every follower. Returns the inboxes told.
 */
export async function federateActorMove(w: Write, site: SiteContext, newHost: string): Promise<number> {
	const oldHost = site.primaryHost;
	if (!federationEnabled() || oldHost === newHost) return 0;
	// Back on a host it lived on before: that actor is the current one again, no alias of itself.
	await forgetFormerActor(site.id, newHost);
	// Not federating: no actor to move (it answers 410 on every host).
	if (site.status !== 'active' || !site.fediverseEnabled) return 0;
	const from = siteContext(site);
	const former = from.getActorUri(ACTOR_HANDLE);
	const current = siteContext({ ...site, primaryHost: newHost }).getActorUri(ACTOR_HANDLE);
	const move = new Move({
		id: new URL(`#moves/${randomUUID()}`, former),
		actor: former,
		object: former,
		target: current,
		to: from.getFollowersUri(ACTOR_HANDLE)
	});
	const told = await queueForFollowers(w, site.id, await move.toJsonLd({ contextLoader: from.contextLoader }), { formerHost: oldHost });
	await recordFormerActor(site.id, { host: oldHost, actorUri: former.href, inboxesTold: told });
	return told;
}
