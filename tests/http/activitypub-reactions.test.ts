/**
 * Replies to and boosts of a site's events, from a Mastodon-shaped fake on loopback with a real
 * RSA key (it signs with Fedify's signRequest; the hub verifies against the key it fetches from
 * the fake). Shown: a signed Announce and a signed reply Create count 1 / 1 on the owners'
 * Fediverse screen; a redelivery (same activity, or the same reply in another Create) counts
 * once; Undo of the Announce and Delete of the reply un-count; an Announce naming another
 * site's event counts for neither site; unsigned is refused (401) with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Announce, Create, Delete, Note, Tombstone, Undo } from '@fedify/fedify/vocab';
import { db } from '../../src/lib/server/db';
import { siteFediverseReaction } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { startFakeFediverse, type FakeFediverse } from '../support/fake-fediverse';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

describe.runIf(inject('templateDatabase'))('fediverse: replies and boosts counted for owners', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let fake: FakeFediverse;
	const A = { host: 'alpha-react.example' } as { host: string; id: string; event: string; cookie: string };
	const B = {} as { host: string; id: string; event: string; cookie: string };
	const fan = () => fake.fan;
	const eventUri = (s: { host: string; event: string }) => new URL(`http://${s.host}/ap/events/${s.event}`);

	/** POST an activity to a site's inbox, signed as the fake's actor unless `sign` is false. */
	const post = (activity: { toJsonLd(): Promise<unknown> }, options: { host?: string; sign?: boolean } = {}) =>
		fake.postActivity(options.host ?? A.host, activity, options);

	const reactionsOf = (siteId: string) => db().select().from(siteFediverseReaction).where(eq(siteFediverseReaction.siteId, siteId));
	const kinds = async (siteId: string) => (await reactionsOf(siteId)).map((r) => r.kind).sort();
	/** The "N replies · M boosts" line of an event on the owners' Fediverse screen, or null. */
	async function countsShown(site: typeof A, eventId: string): Promise<string | null> {
		const page = await get(hub.origin, '/admin/fediverse', site.host, { cookie: site.cookie });
		expect(page.status).toBe(200);
		const li = new RegExp(`<li data-event="${eventId}"[^>]*>([\\s\\S]*?)</li>`).exec(page.body)?.[1];
		if (!li) return null;
		return li
			.replace(/<!--[^>]*-->/g, '')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
	}

	const announce = (n: number, object: URL) =>
		new Announce({ id: new URL(`${fan()}/statuses/${n}/activity`), actor: new URL(fan()), object });
	const reply = (n: number) =>
		new Note({
			id: new URL(`${fan()}/statuses/${n}`),
			attribution: new URL(fan()),
			replyTarget: eventUri(A),
			content: '<p>See you there!</p>'
		});
	const create = (id: string, note: Note) => new Create({ id: new URL(`${fan()}/${id}`), actor: new URL(fan()), object: note });

	beforeAll(async () => {
		fake = await startFakeFediverse(() => hub.origin);

		const a = await createSite({ name: 'Alpha Reactions' });
		A.id = a.id;
		await setPrimaryDomain(a.id, (await createDomain(a.id, A.host, true)).id);
		A.event = (await createEvent(a, { title: 'Alpha Jam Night' })).id;
		const b = await createSite({ name: 'Bravo Reactions' });
		B.id = b.id;
		B.host = `${b.slug}.hub.test`;
		B.event = (await createEvent(b, { title: 'Bravo Quiz' })).id;
		const ownerA = await createMember(a, 'owner');
		const ownerB = await createMember(b, 'owner');
		hub = await startHubWithDiscord({
			env: { DATABASE_URL: tdb.url!, FEDERATION_KEY: 'test-federation-key-0123456789-abcdef', FEDERATION_ALLOW_PRIVATE: 'true' }
		});
		A.cookie = await signIn(hub, A.host, ownerA.discordId);
		B.cookie = await signIn(hub, B.host, ownerB.discordId);
	}, 120_000);

	afterAll(async () => {
		await hub?.stop();
		await fake?.close();
	});

	it('refuses an unsigned Announce or reply (401), storing nothing', async () => {
		expect((await post(announce(1, eventUri(A)), { sign: false })).status).toBe(401);
		expect((await post(create('creates/0', reply(1)), { sign: false })).status).toBe(401);
		expect(await reactionsOf(A.id)).toEqual([]);
		expect(await countsShown(A, A.event)).toBeNull();
	});

	it('counts a signed boost and a signed reply once each, shown to the owners', async () => {
		expect((await post(announce(1, eventUri(A)))).status).toBe(202);
		expect((await post(create('creates/1', reply(1)))).status).toBe(202);
		await expect.poll(() => kinds(A.id)).toEqual(['boost', 'reply']);
		expect(await countsShown(A, A.event)).toBe('Alpha Jam Night 1 reply · 1 boost');
		// Redelivered: the same activities, and the same reply in another Create.
		expect((await post(announce(1, eventUri(A)))).status).toBe(202);
		expect((await post(create('creates/1', reply(1)))).status).toBe(202);
		expect((await post(create('creates/1-again', reply(1)))).status).toBe(202);
		expect(await kinds(A.id)).toEqual(['boost', 'reply']);
		// A second reply is another one.
		expect((await post(create('creates/2', reply(2)))).status).toBe(202);
		await expect.poll(() => countsShown(A, A.event)).toBe('Alpha Jam Night 2 replies · 1 boost');
		expect(await reactionsOf(B.id)).toEqual([]);
	});

	it('never counts another site’s event: an Announce of B’s event sent to A counts for neither', async () => {
		expect((await post(announce(9, eventUri(B)))).status).toBe(202);
		// A reply to B's event sent to A, too.
		const toB = new Note({ id: new URL(`${fan()}/statuses/9`), attribution: new URL(fan()), replyTarget: eventUri(B) });
		expect((await post(create('creates/9', toB))).status).toBe(202);
		expect(await reactionsOf(B.id)).toEqual([]);
		expect((await reactionsOf(A.id)).map((r) => r.remoteId)).not.toContain(`${fan()}/statuses/9/activity`);
		expect(await kinds(A.id)).toEqual(['boost', 'reply', 'reply']);
		expect(await countsShown(B, B.event)).toBeNull();
		const page = await get(hub.origin, '/admin/fediverse', B.host, { cookie: B.cookie });
		expect(page.body).not.toContain('Alpha Jam Night');
	});

	it('un-counts a boost on its Undo and a reply on its Delete', async () => {
		const undo = new Undo({ id: new URL(`${fan()}/undo/1`), actor: new URL(fan()), object: announce(1, eventUri(A)) });
		expect((await post(undo)).status).toBe(202);
		await expect.poll(() => kinds(A.id)).toEqual(['reply', 'reply']);
		const del = new Delete({
			id: new URL(`${fan()}/statuses/2#delete`),
			actor: new URL(fan()),
			object: new Tombstone({ id: new URL(`${fan()}/statuses/2`) })
		});
		expect((await post(del)).status).toBe(202);
		await expect.poll(() => countsShown(A, A.event)).toBe('Alpha Jam Night 1 reply · 0 boosts');
	});
});
