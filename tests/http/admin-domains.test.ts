/**
 * Custom domains over real HTTP: add (pending), verify through the real HTTP check of the token
 * this app serves (the check connects to a loopback forwarder standing in for DNS), make primary,
 * remove; bad and taken names refused; editors refused; another site's domain ids answer 404.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { siteDomain } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('domains section', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let forwarder: Server;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let bDomain: typeof siteDomain.$inferSelect;
	const cookie = {} as Record<'admin' | 'editor', string>;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'admin') => postAdminForm(hub.origin, path, hostA, cookie[who], fields);
	const domainsOf = (siteId: string) => db().select().from(siteDomain).where(eq(siteDomain.siteId, siteId));
	const domain = async (hostname: string) => (await db().select().from(siteDomain).where(and(eq(siteDomain.siteId, siteA.id), eq(siteDomain.hostname, hostname))))[0];

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Domains' });
		siteB = await createSite({ name: 'Bravo Domains' });
		hostA = `${siteA.slug}.hub.test`;
		bDomain = await createDomain(siteB.id, 'bravo-own.example', true);
		const admin = await createMember(siteA, 'admin');
		const editor = await createMember(siteA, 'editor');
		// Stands in for DNS: the check's connection arrives here and goes on to the hub, Host kept;
		// "unrouted.example" is a domain whose DNS points somewhere else.
		forwarder = createServer((req, res) => {
			if (req.headers.host === 'unrouted.example') {
				res.writeHead(404).end('elsewhere');
				return;
			}
			const u = new URL(hub.origin);
			const out = httpRequest({ host: u.hostname, port: u.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
				res.writeHead(r.statusCode ?? 502, r.headers);
				r.pipe(res);
			});
			req.pipe(out);
		});
		await new Promise<void>((r) => forwarder.listen(0, '127.0.0.1', r));
		const port = (forwarder.address() as AddressInfo).port;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, DOMAIN_VERIFY_CONNECT: `127.0.0.1:${port}`, PUBLIC_IPV4: '203.0.113.7' } });
		cookie.admin = await signIn(hub, hostA, admin.discordId);
		cookie.editor = await signIn(hub, hostA, editor.discordId);
	}, 120_000);
	afterAll(async () => {
		await hub?.stop();
		forwarder?.close();
	});

	it('adds a pending domain with its DNS record; it serves nothing until verified', async () => {
		const r = await post('/admin/domains?/add', { hostname: 'https://WWW.Alpha-Films.example/' });
		expect(r.status).toBe(303);
		const d = await domain('www.alpha-films.example');
		expect(d!.verifiedAt).toBeNull();
		const page = await get(hub.origin, '/admin/domains', hostA, { cookie: cookie.admin });
		expect(page.body).toContain('CNAME');
		expect(page.body).toContain('www.alpha-films.example');
		expect((await get(hub.origin, '/', 'www.alpha-films.example')).status).toBe(404);

		expect((await post('/admin/domains?/add', { hostname: 'alpha-films.example' })).status).toBe(303);
		expect((await get(hub.origin, '/admin/domains', hostA, { cookie: cookie.admin })).body).toContain('203.0.113.7');
	});

	it('verifies through the HTTP token check', async () => {
		const d = await domain('www.alpha-films.example');
		const r = await post('/admin/domains?/verify', { id: d!.id });
		expect(r.status).toBe(303);
		expect(locationOf(r)).toBe('/admin/domains?done=verified');
		expect((await domain('www.alpha-films.example'))!.verifiedAt).not.toBeNull();
		// Verified but not primary: forwards to the main address.
		expect((await get(hub.origin, '/events', 'www.alpha-films.example')).status).toBe(301);

	});

	it('keeps a domain pending when the check fails, with the reason', async () => {
		expect((await post('/admin/domains?/add', { hostname: 'unrouted.example' })).status).toBe(303);
		const d = await domain('unrouted.example');
		const r = await post('/admin/domains?/verify', { id: d!.id });
		expect(r.status).toBe(422);
		expect(r.body).toContain('Not verified yet');
		expect((await domain('unrouted.example'))!.verifiedAt).toBeNull();
		expect((await post('/admin/domains?/primary', { id: d!.id })).status).toBe(409);
	});

	it('refuses bad, platform and taken names with 400 and saves nothing', async () => {
		const before = (await domainsOf(siteA.id)).length;
		for (const [hostname, message] of [
			['localhost', 'no IP addresses'],
			['127.0.0.1', 'no IP addresses'],
			['not a domain', 'Enter a domain'],
			['anything.hub.test', 'are the platform’s own'],
			['bravo-own.example', 'already in use on the platform']
		]) {
			const r = await post('/admin/domains?/add', { hostname: hostname! });
			expect(r.status, hostname).toBe(400);
			expect(r.body, hostname).toContain(message);
		}
		expect((await domainsOf(siteA.id)).length).toBe(before);
	});

	it('refuses editors and another site’s domain ids, and removes its own domains', async () => {
		expect((await get(hub.origin, '/admin/domains', hostA, { cookie: cookie.editor })).status).toBe(403);
		expect((await post('/admin/domains?/add', { hostname: 'editor.example' }, 'editor')).status).toBe(403);
		for (const action of ['verify', 'primary', 'remove']) expect((await post(`/admin/domains?/${action}`, { id: bDomain.id })).status, action).toBe(404);
		expect(await domainsOf(siteB.id)).toEqual([bDomain]);
		const d = await domain('unrouted.example');
		expect((await post('/admin/domains?/remove', { id: d!.id })).status).toBe(303);
		expect(await domain('unrouted.example')).toBeUndefined();
	});

	it('makes a verified domain the main address: the platform subdomain then forwards to it', async () => {
		const d = await domain('www.alpha-films.example');
		expect((await post('/admin/domains?/primary', { id: d!.id })).status).toBe(303);
		const home = await get(hub.origin, '/', 'www.alpha-films.example');
		expect(home.status).toBe(200);
		expect(home.body).toContain('Alpha Domains');
		const old = await get(hub.origin, '/events', hostA);
		expect(old.status).toBe(301);
		expect(locationOf(old)).toBe('http://www.alpha-films.example/events');
	});
});
