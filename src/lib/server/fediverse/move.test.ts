/**
 * The actor's move with a primary-domain change (move.ts), on PostgreSQL and on PGlite: the
 * Domains service's write keeps the former actor and queues one signed-as-former Move per
 * follower inbox (shared inboxes once) in its own transaction; the followers stay; changing back
 * (A → B → A) moves from B, and A names no alias of itself; a refused or failed change queues
 * nothing; a removed domain is no former actor any more; another site sees and serves none of
 * it. This process only produces (ROLE=web): the queued jobs are what is checked (the HTTP test delivers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { useTestEnv } from '../../../../tests/support/env';
import { db, siteRead } from '../db';
import { startJobs, stopJobs, type JobDefinition } from '../jobs';
import { jobDefinitions } from '../jobs/definitions';
import { deleteFollowerByActor, listFollowers, listFormerActors, setSiteFediverseEnabled, upsertFollower } from '../queries/fediverse';
import { makePrimaryDomain, removeSiteDomain } from '../services/domains';
import { systemActor } from '../services/actor';
import { write } from '../services/write';
import { federateActorMove, servesFormerActor } from './move';

const rowsOf = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => {
	const r = (await db().execute(query)) as unknown as T[] | { rows: T[] };
	return Array.isArray(r) ? r : r.rows;
};

interface MoveJob {
	inbox: string;
	formerHost: string | null;
	type: string;
	actor: string;
	object: string;
	target: string;
}

/** The Move deliveries queued for a site, in order. */
const moves = (siteId: string) =>
	rowsOf<MoveJob>(
		sql`select data->>'inbox' as inbox, data->>'formerHost' as "formerHost", data->'activity'->>'type' as type,
		           data->'activity'->>'actor' as actor, data->'activity'->>'object' as object, data->'activity'->>'target' as target
		    from pgboss.job where name = 'fediverse.deliver' and data->>'siteId' = ${siteId}
		      and data->'activity'->>'type' = 'Move' order by created_on, data->>'inbox'`
	);

const ENV = { FEDERATION_KEY: 'move-test-key-0123456789-abcdef-0123', PLATFORM_DOMAIN: 'hub.test', PUBLIC_SCHEME: 'http' };
useTestEnv(ENV);

const actor = (host: string) => `http://${host}/ap/actor/events`;
const ACTOR_PATH = '/ap/actor/events';

for (const kind of databaseKinds()) {
	describe(`the actor moves with the primary domain on ${kind}`, () => {
		useTestDatabase(kind);
		const one = `one-${kind}.example`;
		const two = `two-${kind}.example`;
		let site: Awaited<ReturnType<typeof f.createSite>>;
		let other: Awaited<ReturnType<typeof f.createSite>>;
		let domains: Record<'one' | 'two' | 'pending', string>;
		const owner = async () => f.actorOn(site, await f.createMember(site, 'owner'), 'owner');

		beforeAll(async () => {
			const definitions = jobDefinitions.map((d) => ({ ...d, cron: undefined })) as JobDefinition<never>[];
			await startJobs({ role: 'web', definitions });
			site = await f.createSite({ slug: `mover-${kind}` });
			other = await f.createSite({ slug: `other-${kind}` });
			domains = {
				one: (await f.createDomain(site.id, one, true)).id,
				two: (await f.createDomain(site.id, two, true)).id,
				pending: (await f.createDomain(site.id, `pending-${kind}.example`, false)).id
			};
			await write({ siteId: site.id, actor: systemActor() }, async () => {
				// Two followers on one server (one shared inbox), one on a server without a shared inbox.
				for (const name of ['ada', 'bea'])
					await upsertFollower(site.id, {
						actorUri: `https://social.example/users/${name}`,
						handle: `@${name}@social.example`,
						inbox: `https://social.example/users/${name}/inbox`,
						sharedInbox: 'https://social.example/inbox',
						followedActorUri: actor(`mover-${kind}.hub.test`)
					});
				await upsertFollower(site.id, {
					actorUri: 'https://solo.example/cy',
					handle: '@cy@solo.example',
					inbox: 'https://solo.example/cy/inbox',
					sharedInbox: null
				});
			});
		}, 60_000);
		afterAll(() => stopJobs(1000));

		it('moves from the platform subdomain to a custom domain: the former actor kept, a Move per inbox, followers kept', async () => {
			const sub = `mover-${kind}.hub.test`;
			await makePrimaryDomain(await owner(), { id: domains.one });
			const queued = await moves(site.id);
			expect(queued).toEqual(
				['https://social.example/inbox', 'https://solo.example/cy/inbox'].map((inbox) => ({
					inbox,
					formerHost: sub,
					type: 'Move',
					actor: actor(sub),
					object: actor(sub),
					target: actor(one)
				}))
			);
			const former = await siteRead(site.id, () => listFormerActors(site.id));
			expect(former).toMatchObject([{ host: sub, actorUri: actor(sub), inboxesTold: 2 }]);
			expect((await siteRead(site.id, () => listFollowers(site.id))).length).toBe(3);
			expect(await servesFormerActor(site.id, sub, ACTOR_PATH)).toBe(true);
			expect(await servesFormerActor(site.id, sub, '/.well-known/webfinger')).toBe(true);
			expect(await servesFormerActor(site.id, sub, '/ap/inbox')).toBe(true);
			// Event objects and pages of the old host keep redirecting.
			expect(await servesFormerActor(site.id, sub, '/ap/events/x')).toBe(false);
			expect(await servesFormerActor(site.id, sub, '/')).toBe(false);
			// The new primary host is nobody's former actor.
			expect(await servesFormerActor(site.id, one, ACTOR_PATH)).toBe(false);
		});

		it('A → B → A: each change moves from the host left; the host come back to is no alias of itself', async () => {
			const before = (await moves(site.id)).length;
			await makePrimaryDomain(await owner(), { id: domains.two });
			await makePrimaryDomain(await owner(), { id: domains.one });
			const queued = (await moves(site.id)).slice(before);
			expect(queued.map((m) => [m.formerHost, m.actor, m.target])).toEqual([
				[one, actor(one), actor(two)],
				[one, actor(one), actor(two)],
				[two, actor(two), actor(one)],
				[two, actor(two), actor(one)]
			]);
			const former = await siteRead(site.id, () => listFormerActors(site.id));
			expect(former.map((r) => r.host).sort()).toEqual([`mover-${kind}.hub.test`, two].sort());
			expect(former.some((r) => r.host === one)).toBe(false);
			// Making the primary domain primary again moves nothing.
			const mark = (await moves(site.id)).length;
			await makePrimaryDomain(await owner(), { id: domains.one });
			expect((await moves(site.id)).length).toBe(mark);
		});

		it('a refused change (domain not verified) queues no Move and keeps no former actor', async () => {
			const mark = (await moves(site.id)).length;
			const formerBefore = await siteRead(site.id, () => listFormerActors(site.id));
			await expect(makePrimaryDomain(await owner(), { id: domains.pending })).rejects.toMatchObject({ code: 'conflict' });
			expect((await moves(site.id)).length).toBe(mark);
			expect(await siteRead(site.id, () => listFormerActors(site.id))).toEqual(formerBefore);
		});

		it('the Move is in the outbox: a write that fails after queueing it leaves no job and no former actor', async () => {
			const mark = (await moves(site.id)).length;
			const formerBefore = await siteRead(site.id, () => listFormerActors(site.id));
			const current = (await f.actorOn(site, null, null)).site;
			await expect(
				write({ siteId: site.id, actor: systemActor() }, async (w) => {
					expect(await federateActorMove(w, current, `elsewhere-${kind}.example`)).toBe(2);
					throw new Error('the domain change failed after the Move was queued');
				})
			).rejects.toThrow('failed after');
			expect((await moves(site.id)).length).toBe(mark);
			expect(await siteRead(site.id, () => listFormerActors(site.id))).toEqual(formerBefore);
		});

		it('an Undo of the old follow leaves a follower that followed the new actor; of the followed one removes it', async () => {
			const ada = 'https://social.example/users/ada';
			await write({ siteId: site.id, actor: systemActor() }, async () => {
				// Ada's server followed the moved actor, then undoes the follow of the former one.
				await upsertFollower(site.id, {
					actorUri: ada,
					handle: '@ada@social.example',
					inbox: `${ada}/inbox`,
					sharedInbox: 'https://social.example/inbox',
					followedActorUri: actor(one)
				});
				expect(await deleteFollowerByActor(site.id, ada, actor(`mover-${kind}.hub.test`))).toBeUndefined();
			});
			expect((await siteRead(site.id, () => listFollowers(site.id))).filter((r) => r.actorUri === ada)).toHaveLength(1);
			await write({ siteId: site.id, actor: systemActor() }, async () => {
				expect(await deleteFollowerByActor(site.id, ada, actor(one))).toMatchObject({ actorUri: ada });
				// A row from before the followed id was kept goes with any Undo.
				expect(await deleteFollowerByActor(site.id, 'https://solo.example/cy', actor(two))).toMatchObject({ handle: '@cy@solo.example' });
			});
		});

		it('another site reads and serves none of it; a removed domain is no former actor any more', async () => {
			expect(await siteRead(other.id, () => listFormerActors(site.id))).toEqual([]);
			expect(await siteRead(other.id, () => listFormerActors(other.id))).toEqual([]);
			expect(await servesFormerActor(other.id, two, ACTOR_PATH)).toBe(false);
			expect(await servesFormerActor(site.id, two, ACTOR_PATH)).toBe(true);
			await removeSiteDomain(await owner(), { id: domains.two, confirm: 'yes' });
			expect(await servesFormerActor(site.id, two, ACTOR_PATH)).toBe(false);
			expect((await siteRead(site.id, () => listFormerActors(site.id))).map((r) => r.host)).toEqual([`mover-${kind}.hub.test`]);
		});

		it('a site not federating moves nothing', async () => {
			const quiet = await f.createSite({ slug: `quiet-${kind}` });
			await setSiteFediverseEnabled(quiet.id, false);
			const d = await f.createDomain(quiet.id, `quiet-${kind}.example`, true);
			await write({ siteId: quiet.id, actor: systemActor() }, () =>
				upsertFollower(quiet.id, { actorUri: 'https://x.example/u', handle: '', inbox: 'https://x.example/u/inbox', sharedInbox: null })
			);
			await makePrimaryDomain(await f.actorOn(quiet, await f.createMember(quiet, 'owner'), 'owner'), { id: d.id });
			expect(await moves(quiet.id)).toEqual([]);
			expect(await siteRead(quiet.id, () => listFormerActors(quiet.id))).toEqual([]);
		});
	});
}
