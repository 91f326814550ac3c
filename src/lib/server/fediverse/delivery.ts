/**
 * What a site sends: activities built in the write that caused them (outbox: queued in its
 * transaction), one pg-boss job per inbox (a follower's shared inbox when it has one, so a server
 * with many followers gets each activity once), signed and sent by Fedify's `sendActivity` from
 * the worker. A failed delivery throws, so pg-boss retries it with exponential backoff, per inbox:
 * one slow server never holds up the others. Each attempt's outcome is kept on the followers it
 * reaches (delivery health on the Fediverse screen).
 */
import { randomUUID } from 'node:crypto';
import { Activity, Create, Delete, Tombstone, Update } from '@fedify/fedify/vocab';
import { env } from '../env';
import { transaction } from '../db';
import { loadSiteContext, type SiteContext } from '../hosts/site-context';
import { listFollowers, recordDelivery } from '../queries/fediverse';
import type { EventRow } from '../queries/events';
import type { Write } from '../services/write';
import type { JobDefinition } from '../jobs';
import { ACTOR_HANDLE, federationEnabled, siteContext } from './federation';
import { eventAudience, eventObject, eventObjectUri } from './objects';

export const DELIVER_JOB = 'fediverse.deliver';

export interface DeliveryJob {
	siteId: string;
	/** The inbox posted to, and one actor it reaches (Fedify wants a recipient). */
	inbox: string;
	recipient: string;
	/** The activity, as JSON-LD (built when the change was written; ids are stable across retries). */
	activity: unknown;
	/** The actor's own Delete when the site turns federation off: sent although the site is off now. */
	farewell?: boolean;
	/** Sent as the actor that lived on this former host (its Move: move.ts), signed with its key id. */
	formerHost?: string;
}

/** Queue `activity` for every follower's inbox, each shared inbox once (in the write's transaction). */
export async function queueForFollowers(
	w: Write,
	siteId: string,
	activity: unknown,
	options: Pick<DeliveryJob, 'farewell' | 'formerHost'> = {}
): Promise<number> {
	const inboxes = new Map<string, string>();
	for (const f of await listFollowers(siteId)) {
		const inbox = f.sharedInbox ?? f.inbox;
		if (!inboxes.has(inbox)) inboxes.set(inbox, f.actorUri);
	}
	for (const [inbox, recipient] of inboxes) await queueDelivery(w, { siteId, inbox, recipient, activity, ...options });
	return inboxes.size;
}

export function queueDelivery(w: Write, job: DeliveryJob): Promise<string | null> {
	return w.enqueue({ name: DELIVER_JOB, data: job });
}

type Verb = 'create' | 'update' | 'delete';

/** What followers should hear about a change of one event (null: nothing, e.g. a draft saved). */
function verbFor(before: Pick<EventRow, 'status'> | null, after: Pick<EventRow, 'status'> | null): Verb | null {
	const visible = (e: Pick<EventRow, 'status'> | null) => e !== null && e.status !== 'draft';
	if (!visible(before) && visible(after)) return 'create';
	if (visible(before) && visible(after)) return 'update';
	if (visible(before) && !visible(after)) return 'delete';
	return null;
}

/**
 * The one call the events service makes in its writes: tell the site's followers that an event
 * was published (Create), changed or cancelled (Update), deleted or unpublished (Delete).
 */
export async function federateEventChange(w: Write, site: SiteContext, before: EventRow | null, after: EventRow | null): Promise<void> {
	if (!federationEnabled() || site.status !== 'active' || !site.fediverseEnabled) return;
	const verb = verbFor(before, after);
	if (!verb) return;
	const ctx = siteContext(site);
	const actor = ctx.getActorUri(ACTOR_HANDLE);
	const row = (after ?? before)!;
	const id = eventObjectUri(site, row.id);
	const activityId = new URL(`#${verb}/${randomUUID()}`, id);
	const audience = eventAudience(ctx);
	let activity: Activity;
	if (verb === 'delete') {
		activity = new Delete({ id: activityId, actor, ...audience, object: new Tombstone({ id }) });
	} else {
		const object = eventObject(ctx, site, after!);
		activity =
			verb === 'create'
				? new Create({ id: activityId, actor, ...audience, object })
				: new Update({ id: activityId, actor, ...audience, object });
	}
	await queueForFollowers(w, site.id, await activity.toJsonLd({ contextLoader: ctx.contextLoader }));
}

export const deliver: JobDefinition<DeliveryJob> = {
	name: DELIVER_JOB,
	queue: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
	concurrency: 4,
	async run(job) {
		if (!federationEnabled()) return { skipped: 'federation off' };
		const site = await loadSiteContext(job.siteId, env().PLATFORM_DOMAIN);
		if (!site || site.status !== 'active') return { skipped: 'site gone or suspended' };
		if (!site.fediverseEnabled && !job.farewell) return { skipped: 'site not federating' };
		const ctx = siteContext(site, job.formerHost);
		const activity = await Activity.fromJsonLd(job.activity, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
		try {
			await ctx.sendActivity(
				{ identifier: ACTOR_HANDLE },
				{ id: new URL(job.recipient), inboxId: new URL(job.inbox), endpoints: null },
				activity
			);
		} catch (error) {
			await transaction(() => recordDelivery(job.siteId, job.inbox, error instanceof Error ? error.message : String(error)), {
				siteId: job.siteId
			});
			throw error;
		}
		await transaction(() => recordDelivery(job.siteId, job.inbox, null), { siteId: job.siteId });
		return { delivered: job.inbox };
	}
};
