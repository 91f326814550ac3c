/**
 * Dev sign-in (DEV_LOGIN=true): the demo identities on local hosts only, with the same
 * user/account/session rows a Discord sign-in makes; refused (404) on any other host.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { account, session, user } from '../../src/lib/server/db/schema';
import { DEMO_IDENTITIES, DEV_SUPER_ADMIN_DISCORD_ID } from '../../src/lib/server/seed/identities';
import { useTestDatabase } from '../support/db';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const LOCAL = 'bad-movies-theater.localhost';
const BEA = '100000000000000011'; // owner of Bad Movies Theater in the demo seed

function devSignIn(hub: HubWithDiscord, host: string, discordId: string, next = '/admin') {
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
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, DEV_LOGIN: 'true', SEED_DEMO: 'true' } });
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

	it('makes the seeded dev super admin a super admin on local hosts only', async () => {
		const res = await devSignIn(hub, 'night-market.localhost', DEV_SUPER_ADMIN_DISCORD_ID);
		const admin = await get(hub.origin, '/admin', 'night-market.localhost', { cookie: cookieOf(res) });
		expect(admin.status).toBe(200);
		expect(admin.body).toContain('data-super-admin');

		// The same Discord id signing in on a public host is nobody special there.
		const cookie = await signIn(hub, 'night-market.hub.test', DEV_SUPER_ADMIN_DISCORD_ID);
		const onPublic = await get(hub.origin, '/admin', 'night-market.hub.test', { cookie });
		expect(onPublic.status).toBe(403);
		expect(onPublic.body).not.toContain('data-super-admin');
	});

	it('is refused (404) on non-local hosts even with DEV_LOGIN=true, and hidden from their sign-in page', async () => {
		for (const host of ['bad-movies-theater.hub.test', 'hub.test', 'localhost.example', 'evil.localhost.example']) {
			const res = await devSignIn(hub, host, BEA);
			expect(res.status, host).toBe(404);
			expect(res.headers['set-cookie'], host).toBeUndefined();
		}
		const login = await get(hub.origin, '/login', 'bad-movies-theater.hub.test');
		expect(login.status).toBe(200);
		expect(login.body).not.toContain('Development sign-in');
		expect(login.body).not.toContain(BEA);
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
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, DEV_LOGIN: 'true', SEED_DEMO: 'true', PUBLIC_SCHEME: 'https' } });
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
