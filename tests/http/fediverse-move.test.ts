/**
 * A primary-domain change moves the site's actor and keeps its followers, as Mastodon migrates an
 * account: the built hub and a Mastodon-shaped fake on loopback with a real signature verifier
 * (tests/support/fake-fediverse.ts). Shown: the fan follows A on its first domain; the owner makes
 * the second domain primary on the Domains screen; the fan's server gets a Move signed by the old
 * actor (its key fetched from the old host), object the old actor, target the new one; the new
 * actor has alsoKnownAs [old]; the old actor URL on the old host answers the old actor with
 * movedTo, and WebFinger there names it; a new event's Create comes from the new actor; the owner
 * still sees the follower, and where the handle moved from; the fan's server re-following the new
 * actor and undoing the old follow leaves one follower; another site's host shows none of it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Follow, Undo } from '@fedify/fedify/vocab';
import { db } from '../../src/lib/server/db';
import { siteFollower } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { FAST_JOBS_ENV, get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm } from '../support/admin-forms';
import { startFakeFediverse, type FakeFediverse } from '../support/fake-fediverse';

const AP = { accept: 'application/activity+json' };
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const OLD = 'alpha-old.example';
const NEW = 'alpha-new.example';

describe.runIf(inject('templateDatabase'))('fediverse: the actor moves with the primary domain', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let fake: FakeFediverse;
	let siteId = '';
	let newDomainId = '';
	let betaHost = '';
	let discordId = '';
	const cookie = { old: '', new: '' };
	const actor = (host: string) => `http://${host}/ap/actor/events`;
	const followersOfA = () => db().select().from(siteFollower).where(eq(siteFollower.siteId, siteId));
	const actorDoc = async (host: string) => {
		const r = await get(hub.origin, '/ap/actor/events', host, AP);
		expect(r.status).toBe(200);
		return JSON.parse(r.body);
	};
	const webfinger = (host: string, acct: string) =>
		get(hub.origin, `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${acct}`)}`, host);
	const follow = (object: string, id = `${fake.fan}#follows/${randomUUID()}`) =>
		new Follow({ id: new URL(id), actor: new URL(fake.fan), object: new URL(object) });

	beforeAll(async () => {
		fake = await startFakeFediverse(() => hub.origin);
		const a = await createSite({ name: 'Alpha Moving Club', timezone: 'Europe/Berlin' });
		siteId = a.id;
		await setPrimaryDomain(a.id, (await createDomain(a.id, OLD, true)).id);
		newDomainId = (await createDomain(a.id, NEW, true)).id;
		const beta = await createSite({ name: 'Beta Staying Put' });
		betaHost = `${beta.slug}.hub.test`;
		discordId = (await createMember(a, 'owner')).discordId!;
		hub = await startHubWithDiscord({
			env: {
				DATABASE_URL: tdb.url!,
				FEDERATION_KEY: 'move-http-key-0123456789-abcdef-0123',
				FEDERATION_ALLOW_PRIVATE: 'true',
				...FAST_JOBS_ENV
			}
		});
		cookie.old = await signIn(hub, OLD, discordId);
	}, 120_000);

	afterAll(async () => {
		await hub?.stop();
		await fake?.close();
	});

	it('the fan follows A on its first domain', async () => {
		expect((await fake.post(OLD, JSON.stringify(await follow(actor(OLD), `${fake.fan}#follows/first`).toJsonLd()))).status).toBe(202);
		await expect.poll(async () => (await followersOfA()).map((f) => f.actorUri), { timeout: 15_000 }).toEqual([fake.fan]);
		await expect.poll(() => fake.arrivals('Accept').length, { timeout: 15_000 }).toBe(1);
		expect(fake.arrivals('Accept')[0]!.activity.actor).toBe(actor(OLD));
		expect((await actorDoc(OLD)).alsoKnownAs).toBeUndefined();
	});

	it('the owner makes the second domain primary: the fan’s server gets a Move signed by the old actor', async () => {
		const r = await postAdminForm(hub.origin, '/admin/domains?/primary', OLD, cookie.old, { id: newDomainId });
		expect(r.status).toBe(303);
		expect(locationOf(r)).toBe('/admin/domains?done=primary');
		await expect.poll(() => fake.arrivals('Move').length, { timeout: 20_000 }).toBe(1);
		const move = fake.arrivals('Move')[0]!;
		// To the shared inbox, verified against the old actor's key as the old host serves it.
		expect(move).toMatchObject({ path: '/inbox', verified: true });
		expect(move.keyId).toMatch(new RegExp(`^${actor(OLD)}#`));
		expect(move.activity).toMatchObject({ type: 'Move', actor: actor(OLD), object: actor(OLD), target: actor(NEW) });
		// The follower row is the same one.
		expect((await followersOfA()).map((f) => f.actorUri)).toEqual([fake.fan]);
	});

	it('the new actor names the old one; the old URL answers the old actor with movedTo and the same key', async () => {
		const current = await actorDoc(NEW);
		expect(current.id).toBe(actor(NEW));
		// Compacted JSON-LD: one alias is a plain string (Mastodon reads either).
		expect([current.alsoKnownAs].flat()).toEqual([actor(OLD)]);
		expect(current.movedTo).toBeUndefined();
		const former = await actorDoc(OLD);
		expect(former).toMatchObject({ id: actor(OLD), movedTo: actor(NEW), inbox: `${actor(OLD)}/inbox`, preferredUsername: 'events' });
		expect(former.alsoKnownAs).toBeUndefined();
		expect(former.publicKey.id).toMatch(new RegExp(`^${actor(OLD)}#`));
		expect(former.publicKey.publicKeyPem).toBe(current.publicKey.publicKeyPem);

		const wfOld = await webfinger(OLD, `events@${OLD}`);
		expect(wfOld.status).toBe(200);
		expect(JSON.parse(wfOld.body).links.find((l: { rel: string }) => l.rel === 'self').href).toBe(actor(OLD));
		const wfNew = JSON.parse((await webfinger(NEW, `events@${NEW}`)).body);
		expect(wfNew.links.find((l: { rel: string }) => l.rel === 'self').href).toBe(actor(NEW));
		// Everything else on the old host still forwards to the new one.
		const page = await get(hub.origin, '/events', OLD);
		expect(page.status).toBe(301);
		expect(page.headers.location).toBe(`http://${NEW}/events`);
		expect((await get(hub.origin, `/ap/events/${randomUUID()}`, OLD, AP)).status).toBe(301);
	});

	it('a new event’s Create comes from the new actor, and the owner still sees the follower and the move', async () => {
		cookie.new = await signIn(hub, NEW, discordId);
		const save = await postAdminForm(hub.origin, '/admin/events/new?/save', NEW, cookie.new, {
			title: 'First Night at the New Address',
			slug: '',
			status: 'published',
			startDate: `${NEXT_YEAR}-05-02`,
			startTime: '20:00',
			endDate: '',
			endTime: '',
			venueName: 'New Hall',
			venueAddress: '',
			ticketUrl: '',
			description: '',
			imageAlt: ''
		});
		expect(save.status).toBe(303);
		await expect.poll(() => fake.arrivals('Create').length, { timeout: 20_000 }).toBe(1);
		const create = fake.arrivals('Create')[0]!;
		expect(create).toMatchObject({ verified: true, activity: { actor: actor(NEW) } });
		expect(create.keyId).toMatch(new RegExp(`^${actor(NEW)}#`));
		expect((create.activity.object as { id: string }).id).toMatch(new RegExp(`^http://${NEW}/ap/events/`));

		const screen = await get(hub.origin, '/admin/fediverse', NEW, { cookie: cookie.new });
		expect(screen.status).toBe(200);
		expect(screen.body).toContain(`@events@${NEW}`);
		expect(screen.body).toContain('@fan@127.0.0.1');
		expect(screen.body).toMatch(new RegExp(`data-testid="moved-from"[^>]*>[^<]*@events@${OLD.replace(/\./g, '\\.')}`));
	});

	it('the fan’s server follows the new actor and undoes the old follow: still one follower', async () => {
		expect((await fake.post(NEW, JSON.stringify(await follow(actor(NEW)).toJsonLd()))).status).toBe(202);
		await expect.poll(() => fake.arrivals('Accept').length, { timeout: 15_000 }).toBe(2);
		expect(fake.arrivals('Accept')[1]!.activity.actor).toBe(actor(NEW));
		const undo = new Undo({
			id: new URL(`${fake.fan}#undo/${randomUUID()}`),
			actor: new URL(fake.fan),
			object: follow(actor(OLD), `${fake.fan}#follows/first`)
		});
		// Mastodon sends it to the old actor's shared inbox, on the old host.
		expect((await fake.post(OLD, JSON.stringify(await undo.toJsonLd()), { path: '/ap/inbox' })).status).toBe(202);
		const rows = await followersOfA();
		expect(rows.map((r) => [r.actorUri, r.followedActorUri])).toEqual([[fake.fan, actor(NEW)]]);
		expect(fake.received.every((r) => r.verified)).toBe(true);
	});

	it('another site’s host neither names nor serves A’s former actor', async () => {
		const beta = await actorDoc(betaHost);
		expect(beta.id).toBe(actor(betaHost));
		expect(beta.alsoKnownAs).toBeUndefined();
		expect(beta.movedTo).toBeUndefined();
		expect(JSON.stringify(beta)).not.toContain(OLD);
		expect((await webfinger(betaHost, `events@${OLD}`)).status).toBe(404);
		expect((await webfinger(OLD, `events@${betaHost}`)).status).toBe(404);
		// A host of A that never had the actor (attached after the move) forwards as before.
		const later = 'alpha-later.example';
		await createDomain(siteId, later, true);
		await expect.poll(async () => (await get(hub.origin, '/ap/actor/events', later, AP)).status, { timeout: 10_000 }).toBe(301);
	});
});
