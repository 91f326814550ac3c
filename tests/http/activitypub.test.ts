/**
 * ActivityPub between the built hub and a Mastodon-shaped fake server on loopback (no traffic
 * leaves the machine). The fake has a real RSA key: it signs its Follow / Undo with Fedify's
 * signRequest and checks every delivery it gets with Fedify's verifyRequest against the site's
 * key fetched from the hub. Shown: keys per site (sealed at rest), follow → stored + Accept,
 * owner sees the follower, publish / update / cancel / delete arrive signed with time, place and
 * URL (one delivery per shared inbox), Undo removes, bad signature / stale Date (replay) /
 * oversized / unparsable are refused with nothing stored, another site never lists or removes them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Follow, Undo } from '@fedify/fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { db } from '../../src/lib/server/db';
import { event, siteFederationKey, siteFollower } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { FAST_JOBS_ENV, get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm } from '../support/admin-forms';
import { startFakeFediverse, type FakeFediverse, type PostOptions } from '../support/fake-fediverse';

const AP = { accept: 'application/activity+json' };
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase'))('fediverse: follow and delivery', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let fake: FakeFediverse;
	const A = { host: 'alpha-ap.example' } as { host: string; id: string };
	const B = {} as { host: string; id: string };
	const cookie = {} as Record<'ownerA' | 'ownerB', string>;
	const actorA = () => `http://${A.host}/ap/actor/events`;
	const fan = () => fake.fan;
	const fakeOrigin = () => fake.origin;
	const received = () => fake.received;
	const arrivals = (type: string) => fake.arrivals(type);

	/** POST an activity to A's inbox (or `host`'s) as the fake signs it (optionally tampered after signing). */
	const postSigned = (body: string, options: PostOptions & { host?: string } = {}) => fake.post(options.host ?? A.host, body, options);

	const followJson = async (id = `${fan()}#follows/1`) =>
		JSON.stringify(await new Follow({ id: new URL(id), actor: new URL(fan()), object: new URL(actorA()) }).toJsonLd());
	const followersOf = (siteId: string) => db().select().from(siteFollower).where(eq(siteFollower.siteId, siteId));

	beforeAll(async () => {
		fake = await startFakeFediverse(() => hub.origin);

		const a = await createSite({ name: 'Alpha AP Club', timezone: 'Europe/Berlin' });
		A.id = a.id;
		await setPrimaryDomain(a.id, (await createDomain(a.id, A.host, true)).id);
		const b = await createSite({ name: 'Bravo AP' });
		B.id = b.id;
		B.host = `${b.slug}.hub.test`;
		const ownerA = await createMember(a, 'owner');
		const ownerB = await createMember(b, 'owner');
		hub = await startHubWithDiscord({
			env: {
				DATABASE_URL: tdb.url!,
				FEDERATION_KEY: 'test-federation-key-0123456789-abcdef',
				FEDERATION_ALLOW_PRIVATE: 'true',
				...FAST_JOBS_ENV
			}
		});
		cookie.ownerA = await signIn(hub, A.host, ownerA.discordId);
		cookie.ownerB = await signIn(hub, B.host, ownerB.discordId);
	}, 120_000);

	afterAll(async () => {
		await hub?.stop();
		await fake?.close();
	});

	it('gives each site its key pairs, inbox, followers and shared inbox, private keys sealed at rest', async () => {
		const actor = JSON.parse((await get(hub.origin, '/ap/actor/events', A.host, AP)).body);
		expect(actor.inbox).toBe(`${actorA()}/inbox`);
		expect(actor.followers).toBe(`${actorA()}/followers`);
		expect(actor.endpoints.sharedInbox).toBe(`http://${A.host}/ap/inbox`);
		expect(actor.publicKey.id).toMatch(new RegExp(`^${actorA()}#`));
		expect(actor.publicKey.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
		expect(actor.assertionMethod).toHaveLength(2);
		const rows = await db().select().from(siteFederationKey).where(eq(siteFederationKey.siteId, A.id));
		expect(rows.map((r) => r.algorithm).sort()).toEqual(['Ed25519', 'RSASSA-PKCS1-v1_5']);
		for (const r of rows) {
			expect(r.privateKeySealed).toMatch(/^v1\./);
			expect(r.privateKeySealed).not.toContain('"d"');
			expect(JSON.stringify(r.publicKey)).not.toContain('"d"');
		}
		// Another site has its own key.
		const beta = JSON.parse((await get(hub.origin, '/ap/actor/events', B.host, AP)).body);
		expect(beta.publicKey.publicKeyPem).not.toBe(actor.publicKey.publicKeyPem);
	});

	it('refuses a bad signature, a stale (replayed) Date, an unsigned, an unparsable and an oversized body, storing nothing', async () => {
		const follow = await followJson(`${fan()}#follows/bad`);
		const tampered = await postSigned(follow, { tamper: (b) => b.replace('follows/bad', 'follows/evil') });
		expect(tampered.status).toBe(401);
		const stale = await postSigned(follow, { currentTime: Temporal.Now.instant().subtract({ hours: 3 }) });
		expect(stale.status).toBe(401);
		expect((await postSigned(follow, { sign: false })).status).toBe(401);
		expect((await postSigned('{not json', {})).status).toBe(400);
		const big = JSON.stringify({ ...JSON.parse(follow), padding: 'x'.repeat(300 * 1024) });
		expect((await postSigned(big)).status).toBe(413);
		expect(await followersOf(A.id)).toEqual([]);
		expect(arrivals('Accept')).toEqual([]);
	});

	it('accepts a signed Follow: stored, Accept delivered signed by the site, the owner sees it', async () => {
		const r = await postSigned(await followJson());
		expect(r.status).toBe(202);
		await expect.poll(async () => (await followersOf(A.id)).map((f) => f.actorUri)).toEqual([fan()]);
		const [row] = await followersOf(A.id);
		expect(row).toMatchObject({
			handle: `@fan@${new URL(fakeOrigin()).host}`,
			inbox: `${fakeOrigin()}/users/fan/inbox`,
			sharedInbox: `${fakeOrigin()}/inbox`
		});
		await expect.poll(() => arrivals('Accept').length, { timeout: 15_000 }).toBe(1);
		const accept = arrivals('Accept')[0]!;
		expect(accept).toMatchObject({ path: '/users/fan/inbox', verified: true });
		expect(accept.keyId).toMatch(new RegExp(`^${actorA()}#`));
		expect(accept.activity.actor).toBe(actorA());

		const page = await get(hub.origin, '/admin/fediverse', A.host, { cookie: cookie.ownerA });
		expect(page.status).toBe(200);
		expect(page.body).toContain('@events@alpha-ap.example');
		expect(page.body).toContain('@fan@127.0.0.1');
	});

	it('delivers a published event (Create), its change (Update), cancellation (Update) and deletion (Delete), signed', async () => {
		const save = await postAdminForm(hub.origin, '/admin/events/new?/save', A.host, cookie.ownerA, {
			title: 'Night of Fedi Films',
			slug: '',
			status: 'published',
			startDate: `${NEXT_YEAR}-07-10`,
			startTime: '19:30',
			endDate: '',
			endTime: '22:00',
			venueName: 'The Basement',
			venueAddress: '1 Cellar Street',
			ticketUrl: '',
			description: 'A **warm** night.',
			imageAlt: ''
		});
		expect(save.status).toBe(303);
		const id = /\/admin\/events\/([0-9a-f-]{36})/.exec(locationOf(save))![1]!;
		await expect.poll(() => arrivals('Create').length, { timeout: 15_000 }).toBe(1);
		const create = arrivals('Create')[0]!;
		// One delivery per shared inbox, verified with the site's key.
		expect(create).toMatchObject({ path: '/inbox', verified: true });
		const object = create.activity.object as Record<string, unknown>;
		expect(object).toMatchObject({
			type: 'Event',
			id: `http://${A.host}/ap/events/${id}`,
			name: 'Night of Fedi Films',
			startTime: `${NEXT_YEAR}-07-10T17:30:00Z`,
			endTime: `${NEXT_YEAR}-07-10T20:00:00Z`,
			url: `http://${A.host}/events/night-of-fedi-films`,
			location: { type: 'Place', name: 'The Basement, 1 Cellar Street' }
		});
		expect(String(object.content)).toContain('Night of Fedi Films');
		expect(String(object.content)).toContain(`http://${A.host}/events/night-of-fedi-films`);

		const [row] = await db().select().from(event).where(eq(event.id, id));
		const edit = await postAdminForm(hub.origin, `/admin/events/${id}?/save`, A.host, cookie.ownerA, {
			title: 'Night of Fedi Films (moved)',
			slug: row!.slug,
			status: 'published',
			startDate: `${NEXT_YEAR}-07-11`,
			startTime: '20:00',
			endDate: '',
			endTime: '23:00',
			venueName: 'The Attic',
			venueAddress: '',
			ticketUrl: '',
			description: '',
			imageAlt: ''
		});
		expect(edit.status).toBe(303);
		await expect.poll(() => arrivals('Update').length, { timeout: 15_000 }).toBe(1);
		expect(arrivals('Update')[0]!.activity.object).toMatchObject({
			name: 'Night of Fedi Films (moved)',
			startTime: `${NEXT_YEAR}-07-11T18:00:00Z`,
			location: { name: 'The Attic' }
		});

		expect((await postAdminForm(hub.origin, `/admin/events/${id}?/cancel`, A.host, cookie.ownerA, {})).status).toBe(303);
		await expect.poll(() => arrivals('Update').length, { timeout: 15_000 }).toBe(2);
		expect((arrivals('Update')[1]!.activity.object as { name: string }).name).toMatch(/^Cancelled: /);

		expect((await postAdminForm(hub.origin, `/admin/events/${id}?/delete`, A.host, cookie.ownerA, { confirm: 'yes' })).status).toBe(303);
		await expect.poll(() => arrivals('Delete').length, { timeout: 15_000 }).toBe(1);
		expect(arrivals('Delete')[0]!.activity.object).toMatchObject({ id: `http://${A.host}/ap/events/${id}` });
		expect(received().every((r) => r.verified)).toBe(true);
		await expect.poll(async () => (await followersOf(A.id))[0]!.lastDeliveredAt).not.toBeNull();
	});

	it('never lists or removes a site’s followers from another site', async () => {
		const page = await get(hub.origin, '/admin/fediverse', B.host, { cookie: cookie.ownerB });
		expect(page.status).toBe(200);
		expect(page.body).not.toContain('@fan@');
		const [row] = await followersOf(A.id);
		const r = await postAdminForm(hub.origin, '/admin/fediverse?/remove', B.host, cookie.ownerB, { id: row!.id });
		expect(r.status).toBe(404);
		expect(await followersOf(A.id)).toHaveLength(1);
		// Anonymous: sign-in, not the list.
		expect((await get(hub.origin, '/admin/fediverse', A.host)).body).not.toContain('@fan@');
	});

	it('removes the follower on a signed Undo, and a replay of the old Follow adds nothing', async () => {
		const follow = await followJson();
		const undo = JSON.stringify(
			await new Undo({
				id: new URL(`${fan()}#undo/1`),
				actor: new URL(fan()),
				object: new Follow({ id: new URL(`${fan()}#follows/1`), actor: new URL(fan()), object: new URL(actorA()) })
			}).toJsonLd()
		);
		expect((await postSigned(undo, { path: '/ap/inbox' })).status).toBe(202);
		await expect.poll(async () => (await followersOf(A.id)).length).toBe(0);
		// The same Follow again (same id): already processed, not stored again.
		expect((await postSigned(follow)).status).toBe(202);
		expect(await followersOf(A.id)).toEqual([]);
	});
});
