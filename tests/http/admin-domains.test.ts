/**
 * Custom domains over real HTTP: add (pending), verify through the real HTTP check of the token
 * this app serves (the check connects to a loopback forwarder standing in for DNS), make primary,
 * remove; bad and taken names refused; editors refused; another site's domain ids answer 404.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { siteDomain } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite, createUser } from '../support/factories';
import { auditEvent } from '../../src/lib/server/db/schema';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { actionAnswer, locationOf, postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('domains section', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let forwarder: Server;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let bDomain: typeof siteDomain.$inferSelect;
	let admin: { discordId: string };
	const cookie = {} as Record<'admin' | 'editor' | 'outsider' | 'bOnA', string>;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'admin') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);
	const domainsOf = (siteId: string) => db().select().from(siteDomain).where(eq(siteDomain.siteId, siteId));
	const domain = async (hostname: string) =>
		(
			await db()
				.select()
				.from(siteDomain)
				.where(and(eq(siteDomain.siteId, siteA.id), eq(siteDomain.hostname, hostname)))
		)[0];

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Domains' });
		siteB = await createSite({ name: 'Bravo Domains' });
		hostA = `${siteA.slug}.hub.test`;
		bDomain = await createDomain(siteB.id, 'bravo-own.example', true);
		admin = await createMember(siteA, 'admin');
		const editor = await createMember(siteA, 'editor');
		// Stands in for DNS: the check's connection arrives here and goes on to the hub, Host kept;
		// "unrouted.example" is a domain whose DNS points somewhere else.
		forwarder = createServer((req, res) => {
			if (req.headers.host === 'unrouted.example') {
				res.writeHead(404).end('elsewhere');
				return;
			}
			// Points at some other server that answers 200 with a different token.
			if (req.headers.host === 'wrong-token.example') {
				res.writeHead(200, { 'content-type': 'text/plain' }).end('someone-elses-token');
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
		hub = await startHubWithDiscord({
			env: { DATABASE_URL: tdb.url!, DOMAIN_VERIFY_CONNECT: `127.0.0.1:${port}`, PUBLIC_IPV4: '203.0.113.7' }
		});
		cookie.admin = await signIn(hub, hostA, admin.discordId);
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.outsider = await signIn(hub, hostA, (await createUser()).discordId);
		cookie.bOnA = await signIn(hub, hostA, (await createMember(siteB, 'owner')).discordId);
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

	it('serves a pending domain’s token at the well-known path on that host only', async () => {
		const d = await domain('www.alpha-films.example');
		const ok = await get(hub.origin, `/.well-known/collective-hub/${d!.verificationToken}`, 'www.alpha-films.example');
		expect(ok.status).toBe(200);
		expect(ok.body).toBe(d!.verificationToken);
		expect((await get(hub.origin, '/.well-known/collective-hub/guessed-token', 'www.alpha-films.example')).status).toBe(404);
		expect((await get(hub.origin, `/.well-known/collective-hub/${d!.verificationToken}`, 'other.example')).status).toBe(404);
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

		expect((await post('/admin/domains?/add', { hostname: 'wrong-token.example' })).status).toBe(303);
		const w = await domain('wrong-token.example');
		const wrong = await post('/admin/domains?/verify', { id: w!.id });
		expect(wrong.status).toBe(422);
		expect(wrong.body).toContain('does not point to this platform yet');
		expect(wrong.body).not.toContain('someone-elses-token');
		expect((await domain('wrong-token.example'))!.verifiedAt).toBeNull();
		expect((await get(hub.origin, '/', 'wrong-token.example')).status).toBe(404);
	});

	it('refuses a domain this site already has', async () => {
		const r = await post('/admin/domains?/add', { hostname: 'www.alpha-films.example' });
		expect(r.status).toBe(400);
		expect(r.body).toMatch(/id="hostname-error"[^>]*>This site already has this domain/);
		expect(r.body).toContain('value="www.alpha-films.example"');
	});

	it('refuses people without a role here and B’s members (404), editors (403): nothing changes', async () => {
		const beforeA = await domainsOf(siteA.id);
		const beforeB = await domainsOf(siteB.id);
		const id = beforeA[0]!.id;
		for (const [who, status] of [
			['outsider', 404],
			['bOnA', 404],
			['editor', 403]
		] as const) {
			for (const action of ['add', 'verify', 'primary', 'remove']) {
				const r = await actionAnswer(hub.origin, `/admin/domains?/${action}`, hostA, cookie[who], {
					hostname: `${who.toLowerCase()}.example`,
					id,
					confirm: 'yes'
				});
				expect(r.status, `${who} ${action}`).toBe(status);
			}
		}
		expect(await domainsOf(siteA.id)).toEqual(beforeA);
		expect(await domainsOf(siteB.id)).toEqual(beforeB);
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
			expect(r.body, hostname).not.toContain('Bravo Domains');
		}
		expect((await domainsOf(siteA.id)).length).toBe(before);
	});

	it('refuses editors and another site’s domain ids, and removes its own domains', async () => {
		expect((await get(hub.origin, '/admin/domains', hostA, { cookie: cookie.editor })).status).toBe(403);
		expect((await post('/admin/domains?/add', { hostname: 'editor.example' }, 'editor')).status).toBe(403);
		for (const action of ['verify', 'primary', 'remove']) {
			expect((await post(`/admin/domains?/${action}`, { id: bDomain.id, confirm: 'yes' })).status, action).toBe(404);
			expect((await post(`/admin/domains?/${action}`, { id: 'not-a-uuid', confirm: 'yes' })).status, action).toBe(404);
		}
		expect(await domainsOf(siteB.id)).toEqual([bDomain]);
		const d = await domain('unrouted.example');
		const unconfirmed = await post('/admin/domains?/remove', { id: d!.id });
		expect(unconfirmed.status).toBe(400);
		expect(unconfirmed.body).toContain('Tick the box to confirm the removal');
		expect(await domain('unrouted.example')).toBeDefined();
		expect((await post('/admin/domains?/remove', { id: d!.id, confirm: 'yes' })).status).toBe(303);
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

		// The admin now works on the main address (sessions belong to the host that issued them).
		const main = 'www.alpha-films.example';
		const onMain = await signIn(hub, main, admin.discordId);
		const postOnMain = (path: string, fields: Fields) => postAdminForm(hub.origin, path, main, onMain, fields);
		// Another verified domain becomes primary: the old primary now forwards to it.
		expect((await postOnMain('/admin/domains?/add', { hostname: 'alpha-cinema.example' })).status).toBe(303);
		const next = await domain('alpha-cinema.example');
		expect((await postOnMain('/admin/domains?/verify', { id: next!.id })).status).toBe(303);
		const switched = await postOnMain('/admin/domains?/primary', { id: next!.id });
		expect(switched.status).toBe(303);
		expect(locationOf(switched)).toBe('/admin/domains?done=primary');
		const formerPrimary = await get(hub.origin, '/events?x=1', 'www.alpha-films.example');
		expect(formerPrimary.status).toBe(301);
		expect(locationOf(formerPrimary)).toBe('http://alpha-cinema.example/events?x=1');
		expect((await get(hub.origin, '/', 'alpha-cinema.example')).body).toContain('Alpha Domains');
		const primaries = (await domainsOf(siteA.id)).filter((x) => x.isPrimary).map((x) => x.hostname);
		expect(primaries).toEqual(['alpha-cinema.example']);

		const audit = await db().select().from(auditEvent).where(eq(auditEvent.siteId, siteA.id));
		for (const action of ['domain.add', 'domain.verify', 'domain.primary', 'domain.remove'])
			expect(audit.map((a) => a.action)).toContain(action);
	});
	it('shows the background checks: last and next check, a pending domain’s last failure, a misconfigured domain and its detach date', async () => {
		const drifting = await createDomain(siteA.id, 'drifting.example', true);
		await db().execute(sql`
			update site_domain set misconfigured_at = '2026-03-01T10:00:00Z', last_checked_at = '2026-03-02T10:00:00Z',
				next_check_at = '2026-03-02T11:00:00Z', last_check_error = 'drifting.example does not point to this platform yet'
			where id = ${drifting.id}`);
		const waiting = await createDomain(siteA.id, 'waiting.example', false);
		await db().execute(
			sql`update site_domain set last_checked_at = '2026-03-02T09:00:00Z', last_check_error = '{"code":"txt_none"}' where id = ${waiting.id}`
		);
		// The main address is alpha-cinema.example by now (the test before): sign in there.
		const onMain = await signIn(hub, 'alpha-cinema.example', admin.discordId);
		const page = await get(hub.origin, '/admin/domains', 'alpha-cinema.example', { cookie: onMain });
		expect(page.status).toBe(200);
		const item = page.body.slice(page.body.indexOf('drifting.example'));
		expect(item).toContain('Misconfigured');
		expect(item).toContain('no longer points to this platform (since 1 Mar 2026, 10:00 UTC)');
		// DOMAIN_GRACE_DAYS defaults to 30.
		expect(item).toContain('until 31 Mar 2026, 10:00 UTC');
		expect(item).toContain('Last checked: 2 Mar 2026, 10:00 UTC · Next check: 2 Mar 2026, 11:00 UTC');
		const pending = page.body.slice(page.body.indexOf('waiting.example'));
		// The check keeps a code, said in the reader's language; the drifting row's older sentence stays as it was.
		expect(pending).toContain('Last result: there is no TXT record at _collective-hub.waiting.example yet');
		// Still served meanwhile.
		expect((await get(hub.origin, '/', 'drifting.example')).status).not.toBe(404);
	});
});
