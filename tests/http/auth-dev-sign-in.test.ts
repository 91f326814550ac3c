/**
 * Dev sign-in (DEV_LOGIN=true): the demo identities, with the same user/account/session rows a
 * Discord sign-in makes. Whether it exists depends on the server's configuration only (a local
 * PLATFORM_DOMAIN outside production), never on the Host a client sends: a server configured for
 * a public domain refuses to start with DEV_LOGIN, and without it answers 404 on every host.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { account, session, user } from '../../src/lib/server/db/schema';
import { DEMO_IDENTITIES, DEV_SUPER_ADMIN_DISCORD_ID } from '../../src/lib/server/seed/identities';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite } from '../support/factories';
import { get, request, startHub, type HubServer } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const LOCAL = 'bad-movies-theater.localhost';
const BEA = '100000000000000011'; // owner of Bad Movies Theater in the demo seed

function devSignIn(hub: HubServer, host: string, discordId: string, next = '/admin') {
	return request(hub.origin, '/api/auth/dev/sign-in', host, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` },
		body: new URLSearchParams({ discordId, next }).toString()
	});
}
const cookieOf = (r: { headers: Record<string, string | string[] | undefined> }) =>
	[r.headers['set-cookie'] ?? []]
		.flat()
		.map((c) => c.split(';')[0])
		.join('; ');

async function rowsOf(discordId: string) {
	const [row] = await db().select().from(account).innerJoin(user, eq(user.id, account.userId)).where(eq(account.accountId, discordId));
	const sessions = await db().select().from(session).where(eq(session.userId, row!.user.id));
	return { user: row!.user, account: row!.account, sessions };
}

describe.runIf(inject('templateDatabase'))('dev sign-in', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	beforeAll(async () => {
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, DEV_LOGIN: 'true', SEED_DEMO: 'true', NODE_ENV: 'development' } });
	});
	afterAll(() => hub?.stop());

	it('lists the demo identities on a local host’s sign-in page', async () => {
		const page = await get(hub.origin, '/login', LOCAL);
		expect(page.status).toBe(200);
		expect(page.body).toContain('Development sign-in');
		for (const person of DEMO_IDENTITIES) expect(page.body).toContain(`value="${person.discordId}"`);
	});

	it('signs in a demo owner on a local host with the rows a Discord sign-in makes', async () => {
		const res = await devSignIn(hub, LOCAL, BEA);
		expect(res.status).toBe(302);
		expect(res.headers.location).toBe('/admin');
		const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.includes('session_token'))!;
		expect(setCookie).toMatch(/HttpOnly/i);
		expect(setCookie).toMatch(/SameSite=Lax/i);
		expect(setCookie).not.toMatch(/Domain=/i);
		const admin = await get(hub.origin, '/admin', LOCAL, { cookie: cookieOf(res) });
		expect(admin.status).toBe(200);
		expect(admin.body).toContain('<title>Dashboard · Bad Movies Theater</title>');
		expect(admin.body).toContain('data-role="owner"');

		// Someone signing in through (fake) Discord on a public host, for comparison.
		const viaDiscord = '300000000000000001';
		await signIn(hub, 'paper-cuts.hub.test', viaDiscord);
		const dev = await rowsOf(BEA);
		const discord = await rowsOf(viaDiscord);
		for (const rows of [dev, discord]) {
			expect(rows.account.providerId).toBe('discord');
			expect(rows.user.email).toBe(`${rows.account.accountId}@users.discord.invalid`);
			expect(rows.user.emailVerified).toBe(false);
			expect(rows.account.accessToken).toBeNull();
			expect(rows.sessions.length).toBeGreaterThan(0);
			expect(rows.sessions.every((s) => s.ipAddress === '127.0.0.1')).toBe(true);
		}
		expect(dev.sessions.map((s) => s.host)).toEqual([LOCAL]);
		expect(discord.sessions.map((s) => s.host)).toEqual(['paper-cuts.hub.test']);
	});

	it('makes the seeded dev super admin a super admin', async () => {
		const res = await devSignIn(hub, 'night-market.localhost', DEV_SUPER_ADMIN_DISCORD_ID);
		const admin = await get(hub.origin, '/admin', 'night-market.localhost', { cookie: cookieOf(res) });
		expect(admin.status).toBe(200);
		expect(admin.body).toContain('data-super-admin');
	});

	it('exists on every host this (local) server serves, whatever the Host says', async () => {
		const res = await devSignIn(hub, 'bad-movies-theater.hub.test', BEA);
		expect(res.status).toBe(302);
		const admin = await get(hub.origin, '/admin', 'bad-movies-theater.hub.test', { cookie: cookieOf(res) });
		expect(admin.status).toBe(200);
		expect(admin.body).toContain('data-role="owner"');
		for (const host of ['localhost.example', 'evil.localhost.example']) {
			const unknown = await devSignIn(hub, host, BEA);
			expect(unknown.status, host).toBe(404);
			expect(unknown.headers['set-cookie'], host).toBeUndefined();
		}
	});

	it('refuses identities that are not demo people', async () => {
		const res = await devSignIn(hub, LOCAL, '123456789012345678');
		expect(res.status).toBe(302);
		expect(res.headers.location).toBe('/login?error=unknown_identity&next=%2Fadmin');
		expect(res.headers['set-cookie']).toBeUndefined();
	});
});

describe.runIf(inject('templateDatabase'))('cookies when the public scheme is https', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	beforeAll(async () => {
		hub = await startHubWithDiscord({
			env: { DATABASE_URL: tdb.url!, DEV_LOGIN: 'true', SEED_DEMO: 'true', PUBLIC_SCHEME: 'https', NODE_ENV: 'development' }
		});
	});
	afterAll(() => hub?.stop());

	it('are Secure (and __Secure- prefixed), HttpOnly, SameSite=Lax, host-only, and read back', async () => {
		const res = await devSignIn(hub, LOCAL, BEA);
		const setCookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.includes('session_token'))!;
		expect(setCookie).toMatch(/^__Secure-better-auth\.session_token=/);
		expect(setCookie).toMatch(/;\s*Secure/i);
		expect(setCookie).toMatch(/;\s*HttpOnly/i);
		expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
		expect(setCookie).not.toMatch(/Domain=/i);
		const admin = await get(hub.origin, '/admin', LOCAL, { cookie: cookieOf(res) });
		expect(admin.status).toBe(200);
	});
});

describe.runIf(inject('templateDatabase'))('on a server for a public platform domain', () => {
	const tdb = useTestDatabase();
	const ATTACK_HOSTS = ['alpha.localhost', 'localhost', '127.0.0.1', 'alpha.org', 'alpha.hub.example', 'hub.example'];

	async function attack(server: HubServer) {
		const results = [];
		for (const host of ATTACK_HOSTS) {
			const res = await devSignIn(server, host, DEV_SUPER_ADMIN_DISCORD_ID);
			const admin = await get(server.origin, '/admin', host, { cookie: cookieOf(res) });
			results.push({
				host,
				signIn: res.status,
				cookie: Boolean(res.headers['set-cookie']),
				superAdmin: admin.body.includes('data-super-admin')
			});
		}
		return results;
	}

	it('refuses to start with DEV_LOGIN (public PLATFORM_DOMAIN, or NODE_ENV=production), naming the variable', async () => {
		const alpha = await createSite({ slug: 'alpha', name: 'Alpha' });
		await setPrimaryDomain(alpha.id, (await createDomain(alpha.id, 'alpha.org')).id);
		for (const env of [
			{ PLATFORM_DOMAIN: 'hub.example', NODE_ENV: 'development' },
			{ PLATFORM_DOMAIN: 'hub.example', NODE_ENV: 'production' },
			{ PLATFORM_DOMAIN: 'hub.test', NODE_ENV: 'production' }
		]) {
			let server: HubServer;
			try {
				server = await startHub({ env: { DATABASE_URL: tdb.url!, DEV_LOGIN: 'true', ...env } });
			} catch (error) {
				expect(String(error), JSON.stringify(env)).toContain('Invalid environment: DEV_LOGIN');
				continue;
			}
			// It started: show what a client could do with it, then fail.
			const results = await attack(server).finally(() => server.stop());
			expect.fail(`started with DEV_LOGIN and ${JSON.stringify(env)}; the attack gave ${JSON.stringify(results)}`);
		}
	});

	it('without DEV_LOGIN, has no dev sign-in on any host, local-looking ones included', async () => {
		const server = await startHub({ env: { DATABASE_URL: tdb.url!, PLATFORM_DOMAIN: 'hub.example' } });
		try {
			for (const r of await attack(server)) {
				// 301: the slug subdomain of a site with a custom domain redirects there first.
				expect([301, 404], r.host).toContain(r.signIn);
				expect(r, r.host).toMatchObject({ cookie: false, superAdmin: false });
			}
			const login = await get(server.origin, '/login', 'alpha.localhost');
			expect(login.body).not.toContain('Development sign-in');
		} finally {
			await server.stop();
		}
	});
});
