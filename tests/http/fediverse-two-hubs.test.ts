/**
 * Federation between two hub servers on loopback: two built servers (two processes), two
 * databases, two platform domains, each site under its public name (ids carry no port; a test
 * preload moves only the TCP connection to the right port, see host-map-preload.mjs). Nothing
 * leaves the machine. Hub 1 has site A (custom domain); hub 2 has site B.
 *
 * The follower is site B's own actor, served by hub 2 (its actor document, its keys, its inbox).
 * Hub sites have no "follow another actor" feature (a collective's site publishes; it is not a
 * reader), so the test sends B's Follow and Undo itself, signed with B's key as hub 2 stores it
 * (unsealed with hub 2's FEDERATION_KEY). Everything after that is the two servers talking:
 * hub 1 fetches B's actor and key from hub 2 to verify the Follow, and hub 2 verifies every
 * delivery from hub 1 (Accept, Create, Update) with Fedify's verifier against A's key fetched
 * from hub 1, then logs it (its inbox logs what it verified and does not act on). An unsigned
 * delivery to hub 2 is refused (401) and logged nowhere, so the log line means "arrived, signed".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { signRequest } from '@fedify/fedify';
import { Create, Follow, Note, Undo } from '@fedify/fedify/vocab';
import { db, useDatabase } from '../../src/lib/server/db';
import { siteFollower } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { siteKeyPairs } from '../../src/lib/server/fediverse/keys';
import { resetEnvForTests } from '../../src/lib/server/env';
import { openTestDatabase, useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { FAST_JOBS_ENV, get, request, startHub, type HubServer } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm } from '../support/admin-forms';

const AP = { accept: 'application/activity+json' };
const HOST_MAP_PRELOAD = fileURLToPath(new URL('../support/host-map-preload.mjs', import.meta.url));
const KEY_1 = 'hub-one-federation-key-0123456789-abcdef';
const KEY_2 = 'hub-two-federation-key-0123456789-abcdef';
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

interface Arrival {
	type: string;
	site: string;
	id: string | null;
	actor: string | null;
	object: string | null;
	event?: { name: string | null; startTime: string | null; endTime: string | null; place: string | null; url: string | null };
}

describe.runIf(inject('templateDatabase'))('fediverse: two hubs on loopback', () => {
	const db1 = useTestDatabase();
	let db2: Awaited<ReturnType<typeof openTestDatabase>>;
	let hub1: HubWithDiscord;
	let hub2: HubServer;
	const A = { host: 'alpha-two-hubs.example' } as { host: string; id: string };
	const B = {} as { host: string; id: string; slug: string };
	let ownerCookie = '';
	let bKeys: CryptoKeyPair[] = [];
	let bKeyId = '';
	let mapFile = '';
	const actorA = () => `http://${A.host}/ap/actor/events`;
	const actorB = () => `http://${B.host}/ap/actor/events`;

	/** What hub 2's inbox verified and logged, in order. */
	function arrivals(type?: string): Arrival[] {
		return hub2.output
			.join('')
			.split('\n')
			.filter((l) => l.includes('"fediverse activity received"'))
			.map((l) => JSON.parse(l) as Arrival)
			.filter((a) => !type || a.type === type);
	}

	/** POST an activity to hub 1 as site B (signed with B's RSA key, as hub 2 holds it). */
	async function postAsB(activity: unknown, inboxPath = '/ap/actor/events/inbox', origin = hub1.origin) {
		const body = JSON.stringify(activity);
		const signed = await signRequest(
			new Request(`http://${A.host}${inboxPath}`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body }),
			bKeys[0]!.privateKey,
			new URL(bKeyId)
		);
		const headers: Record<string, string> = {};
		signed.headers.forEach((v, k) => (headers[k] = v));
		headers['content-length'] = String(Buffer.byteLength(body));
		return request(origin, inboxPath, A.host, { method: 'POST', headers, body });
	}

	const followersOfA = () => db().select().from(siteFollower).where(eq(siteFollower.siteId, A.id));
	const followId = () => `${actorB()}#follows/${B.slug}`;

	beforeAll(async () => {
		db2 = await openTestDatabase('postgres');
		const a = await createSite({ name: 'Alpha Two Hubs', timezone: 'Europe/Berlin' });
		A.id = a.id;
		await setPrimaryDomain(a.id, (await createDomain(a.id, A.host, true)).id);
		const owner = await createMember(a, 'owner');

		// Site B lives in hub 2's database only.
		useDatabase(db2.database);
		const b = await createSite({ name: 'Bravo On Hub Two' });
		useDatabase(db1.database);
		Object.assign(B, { id: b.id, slug: b.slug, host: `${b.slug}.hub2.test` });

		mapFile = path.join(mkdtempSync(path.join(tmpdir(), 'host-map-')), 'hosts.json');
		writeFileSync(mapFile, '{}');
		const shared = { FEDERATION_ALLOW_PRIVATE: 'true', HOST_MAP_FILE: mapFile, ...FAST_JOBS_ENV };
		[hub1, hub2] = await Promise.all([
			startHubWithDiscord({ env: { DATABASE_URL: db1.url!, FEDERATION_KEY: KEY_1, ...shared }, nodeArgs: ['--import', HOST_MAP_PRELOAD] }),
			startHub({
				env: { DATABASE_URL: db2.url!, PLATFORM_DOMAIN: 'hub2.test', FEDERATION_KEY: KEY_2, ...shared },
				nodeArgs: ['--import', HOST_MAP_PRELOAD]
			})
		]);
		writeFileSync(mapFile, JSON.stringify({ [A.host]: hub1.port, 'hub.test': hub1.port, [B.host]: hub2.port, 'hub2.test': hub2.port }));
		ownerCookie = await signIn(hub1, A.host, owner.discordId);

		// B's actor as hub 2 serves it (this makes its keys), and B's private key as hub 2 seals it.
		const actor = JSON.parse((await get(hub2.origin, '/ap/actor/events', B.host, AP)).body);
		expect(actor.id).toBe(actorB());
		if (!actor.publicKey) throw new Error(`B's actor has no key:\n${hub2.output.join('')}`);
		bKeyId = actor.publicKey.id;
		process.env.FEDERATION_KEY = KEY_2;
		resetEnvForTests();
		useDatabase(db2.database);
		try {
			bKeys = await siteKeyPairs(B.id);
		} finally {
			useDatabase(db1.database);
			delete process.env.FEDERATION_KEY;
			resetEnvForTests();
		}
	}, 120_000);

	afterAll(async () => {
		await Promise.all([hub1?.stop(), hub2?.stop()]);
		await db2?.drop();
	});

	it('hub 2 refuses an unsigned delivery claiming to come from hub 1, and logs nothing', async () => {
		const forged = await new Create({
			id: new URL(`${actorA()}#create/forged`),
			actor: new URL(actorA()),
			object: new Note({ id: new URL(`http://${A.host}/ap/notes/forged`), content: 'forged' })
		}).toJsonLd();
		const r = await request(hub2.origin, '/ap/inbox', B.host, {
			method: 'POST',
			headers: { 'content-type': 'application/activity+json' },
			body: JSON.stringify(forged)
		});
		expect(r.status).toBe(401);
		expect(arrivals()).toEqual([]);
	});

	it('B (on hub 2) follows A (on hub 1): hub 1 verifies it against hub 2, stores it, and hub 2 gets the Accept signed', async () => {
		const follow = await new Follow({ id: new URL(followId()), actor: new URL(actorB()), object: new URL(actorA()) }).toJsonLd();
		expect((await postAsB(follow)).status).toBe(202);
		await expect.poll(async () => (await followersOfA()).map((f) => f.actorUri), { timeout: 15_000 }).toEqual([actorB()]);
		const [row] = await followersOfA();
		// What hub 1 learnt from B's actor document on hub 2.
		expect(row).toMatchObject({ handle: `@events@${B.host}`, inbox: `${actorB()}/inbox`, sharedInbox: `http://${B.host}/ap/inbox` });

		await expect.poll(() => arrivals('Accept').length, { timeout: 20_000 }).toBe(1);
		expect(arrivals('Accept')[0]).toMatchObject({ site: B.slug, actor: actorA() });

		// A's owner sees the follower on hub 1.
		const page = await get(hub1.origin, '/admin/fediverse', A.host, { cookie: ownerCookie });
		expect(page.status).toBe(200);
		expect(page.body).toContain(`@events@${B.host}`);
	});

	it('publishing, changing and cancelling an event on A reach hub 2 signed, with time, place and URL', async () => {
		const save = await postAdminForm(hub1.origin, '/admin/events/new?/save', A.host, ownerCookie, {
			title: 'Two Hubs Screening',
			slug: 'two-hubs-screening',
			status: 'published',
			startDate: `${NEXT_YEAR}-08-14`,
			startTime: '20:00',
			endDate: '',
			endTime: '23:00',
			venueName: 'Loopback Hall',
			venueAddress: '127 Local Road',
			ticketUrl: '',
			description: 'Films between servers.',
			imageAlt: ''
		});
		expect(save.status).toBe(303);
		const id = /\/admin\/events\/([0-9a-f-]{36})/.exec(locationOf(save))![1]!;
		const objectId = `http://${A.host}/ap/events/${id}`;

		await expect.poll(() => arrivals('Create').length, { timeout: 20_000 }).toBe(1);
		expect(arrivals('Create')[0]).toMatchObject({
			site: B.slug,
			actor: actorA(),
			object: objectId,
			event: {
				name: 'Two Hubs Screening',
				startTime: `${NEXT_YEAR}-08-14T18:00:00Z`,
				endTime: `${NEXT_YEAR}-08-14T21:00:00Z`,
				place: 'Loopback Hall, 127 Local Road',
				url: `http://${A.host}/events/two-hubs-screening`
			}
		});

		const edit = await postAdminForm(hub1.origin, `/admin/events/${id}?/save`, A.host, ownerCookie, {
			title: 'Two Hubs Screening',
			slug: 'two-hubs-screening',
			status: 'published',
			startDate: `${NEXT_YEAR}-08-15`,
			startTime: '21:00',
			endDate: '',
			endTime: '',
			venueName: 'Loopback Annex',
			venueAddress: '',
			ticketUrl: '',
			description: '',
			imageAlt: ''
		});
		expect(edit.status).toBe(303);
		await expect.poll(() => arrivals('Update').length, { timeout: 20_000 }).toBe(1);
		expect(arrivals('Update')[0]).toMatchObject({
			object: objectId,
			event: { startTime: `${NEXT_YEAR}-08-15T19:00:00Z`, place: 'Loopback Annex' }
		});

		expect((await postAdminForm(hub1.origin, `/admin/events/${id}?/cancel`, A.host, ownerCookie, {})).status).toBe(303);
		await expect.poll(() => arrivals('Update').length, { timeout: 20_000 }).toBe(2);
		expect(arrivals('Update')[1]!.event!.name).toMatch(/^Cancelled: Two Hubs Screening$/);
		// Hub 1 recorded the deliveries as done (delivery health on A's Fediverse screen).
		await expect.poll(async () => (await followersOfA())[0]?.lastDeliveredAt ?? null).not.toBeNull();
	});

	it('B unfollows: hub 1 removes the follower, and the owner no longer sees it', async () => {
		const undo = await new Undo({
			id: new URL(`${actorB()}#undo/${randomUUID()}`),
			actor: new URL(actorB()),
			object: new Follow({ id: new URL(followId()), actor: new URL(actorB()), object: new URL(actorA()) })
		}).toJsonLd();
		expect((await postAsB(undo, '/ap/inbox')).status).toBe(202);
		await expect.poll(async () => (await followersOfA()).length, { timeout: 15_000 }).toBe(0);
		const page = await get(hub1.origin, '/admin/fediverse', A.host, { cookie: ownerCookie });
		expect(page.body).not.toContain(`@events@${B.host}`);
	});

	it('the owner turns federation off: followers get a signed Delete of the actor, which then answers 410; on again starts with no followers', async () => {
		const follow = () =>
			new Follow({ id: new URL(`${followId()}-${randomUUID()}`), actor: new URL(actorB()), object: new URL(actorA()) }).toJsonLd();
		expect((await postAsB(await follow())).status).toBe(202);
		await expect.poll(async () => (await followersOfA()).length, { timeout: 15_000 }).toBe(1);

		const off = await postAdminForm(hub1.origin, '/admin/fediverse?/federation', A.host, ownerCookie, {});
		expect(off.status).toBe(303);
		expect(locationOf(off)).toContain('switched=off');
		await expect.poll(() => arrivals('Delete').length, { timeout: 20_000 }).toBe(1);
		expect(arrivals('Delete')[0]).toMatchObject({ site: B.slug, actor: actorA(), object: actorA() });
		expect(await followersOfA()).toEqual([]);

		const webfinger = () => get(hub1.origin, `/.well-known/webfinger?resource=${encodeURIComponent(`acct:events@${A.host}`)}`, A.host);
		expect((await get(hub1.origin, '/ap/actor/events', A.host, AP)).status).toBe(410);
		expect((await webfinger()).status).toBe(410);
		expect((await postAsB(await follow())).status).toBe(410);
		expect(await followersOfA()).toEqual([]);
		// The screen says so, and no longer lists followers or the handle.
		const page = await get(hub1.origin, '/admin/fediverse', A.host, { cookie: ownerCookie });
		expect(page.body).not.toContain('data-testid="handle"');
		expect(page.body).toMatch(/<input type="checkbox" name="enabled"(?![^>]*checked)/);

		const on = await postAdminForm(hub1.origin, '/admin/fediverse?/federation', A.host, ownerCookie, { enabled: 'on' });
		expect(on.status).toBe(303);
		expect((await get(hub1.origin, '/ap/actor/events', A.host, AP)).status).toBe(200);
		expect((await webfinger()).status).toBe(200);
		expect(await followersOfA()).toEqual([]);
		expect((await postAsB(await follow())).status).toBe(202);
		await expect.poll(async () => (await followersOfA()).map((f) => f.actorUri), { timeout: 15_000 }).toEqual([actorB()]);
		const again = await get(hub1.origin, '/admin/fediverse', A.host, { cookie: ownerCookie });
		expect(again.body).toContain(`@events@${B.host}`);
	});

	it('refuses a replayed activity in another process of hub 1 too (processed ids are kept in the database)', async () => {
		const replica = await startHub({
			env: { DATABASE_URL: db1.url!, FEDERATION_KEY: KEY_1, FEDERATION_ALLOW_PRIVATE: 'true', HOST_MAP_FILE: mapFile, ...FAST_JOBS_ENV },
			nodeArgs: ['--import', HOST_MAP_PRELOAD]
		});
		try {
			const viaReplica = (activity: unknown, path?: string) => postAsB(activity, path, replica.origin);
			const follow = (id: string) => new Follow({ id: new URL(id), actor: new URL(actorB()), object: new URL(actorA()) }).toJsonLd();
			const once = `${followId()}-replayed`;
			// Clear the follower left by the previous test, then follow once through hub 1's first process.
			const undo = (id: string) =>
				new Undo({
					id: new URL(`${actorB()}#undo/${randomUUID()}`),
					actor: new URL(actorB()),
					object: new Follow({ id: new URL(id), actor: new URL(actorB()), object: new URL(actorA()) })
				}).toJsonLd();
			expect((await postAsB(await undo(once))).status).toBe(202);
			await expect.poll(async () => (await followersOfA()).length, { timeout: 15_000 }).toBe(0);
			expect((await postAsB(await follow(once))).status).toBe(202);
			await expect.poll(async () => (await followersOfA()).length, { timeout: 15_000 }).toBe(1);
			expect((await postAsB(await undo(once))).status).toBe(202);
			await expect.poll(async () => (await followersOfA()).length, { timeout: 15_000 }).toBe(0);
			// The same Follow (same id, freshly signed) sent to the other process: already processed.
			expect((await viaReplica(await follow(once))).status).toBe(202);
			expect(await followersOfA()).toEqual([]);
			// A new Follow through the replica is processed (it does take follows).
			expect((await viaReplica(await follow(`${followId()}-new`))).status).toBe(202);
			await expect.poll(async () => (await followersOfA()).length, { timeout: 15_000 }).toBe(1);
		} finally {
			await replica.stop();
		}
	});
});
