/**
 * Sign in with Discord on a site's own domain, through the real redirect flow against the built
 * server: site host → hub → fake Discord (loopback) → hub callback → hand-back → session on the
 * site host only. Per-host cookie jars, real Host headers.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, like, sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { account, rateLimit, session, user, verification } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { createInvitation, getRole, setMembership } from '../../src/lib/server/queries/members';
import { userIdOfDiscordId } from '../../src/lib/server/auth/accounts';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { HttpBrowser } from '../support/http-browser';
import { get, request } from '../support/server';
import { discordSignInFlow, ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const A = 'a-films.example';
const B = 'b-zines.example';
const HUB = 'hub.test';
const FINISH = '/api/auth/discord/finish';
const isFinish = (u: URL) => u.pathname === FINISH;
const sessionCookies = (browser: HttpBrowser, host: string) =>
	browser.cookiesFor(`http://${host}/admin`).filter((c) => c.name.includes('session_token'));

describe.runIf(inject('templateDatabase'))('Discord sign-in on a custom domain', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const ownerId = '200000000000000001';
	const bootstrapId = '200000000000000042';

	beforeAll(async () => {
		siteA = await createSite({ name: 'A Films' });
		siteB = await createSite({ name: 'B Zines' });
		await setPrimaryDomain(siteA.id, (await createDomain(siteA.id, A)).id);
		await setPrimaryDomain(siteB.id, (await createDomain(siteB.id, B)).id);
		// The same person owns both sites: B must still refuse A's cookie (host binding, not roles).
		const owner = await createMember(siteA, 'owner', { discordId: ownerId, name: 'Olive Owner' });
		await setMembership(siteB.id, owner.id, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, OWNER_DISCORD_ID: bootstrapId, SITE_SLUG: siteA.slug } });
	});
	afterAll(() => hub?.stop());

	it('ends with a session on A only: host-only cookie, no hub session, session row bound to A', async () => {
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { next: '/admin' });

		expect(flow.final.url).toBe(`http://${A}/admin`);
		expect(flow.final.status).toBe(200);
		expect(flow.final.body).toContain('<title>Dashboard · A Films</title>');
		expect(flow.final.body).toContain('data-role="owner"');

		// The real protocol ran: code exchanged with client credentials, user fetched with the token.
		expect(hub.discord.log).toContainEqual({ method: 'POST', path: '/api/oauth2/token' });
		expect(hub.discord.log).toContainEqual({ method: 'GET', path: '/api/users/@me' });
		// The path went through the hub and came back to A.
		const hosts = flow.hops.map((h) => new URL(h.url).host);
		expect(hosts[0]).toBe(A);
		expect(hosts).toContain(HUB);
		expect(flow.handBackUrl).toMatch(new RegExp(`^http://${A.replace('.', '\\.')}${FINISH}\\?token=[A-Za-z0-9_-]{32}$`));

		expect(sessionCookies(browser, A)).toHaveLength(1);
		expect(sessionCookies(browser, HUB)).toHaveLength(0);
		expect(sessionCookies(browser, B)).toHaveLength(0);
		for (const seen of browser.seen.filter((s) => s.name.includes('session_token') || s.name.includes('nonce'))) {
			expect(seen.raw, seen.raw).not.toMatch(/;\s*domain=/i);
			expect(seen.raw).toMatch(/;\s*httponly/i);
			expect(seen.raw).toMatch(/;\s*samesite=lax/i);
		}

		const [u] = await db().select().from(user).innerJoin(account, eq(account.userId, user.id)).where(eq(account.accountId, ownerId));
		const sessions = await db().select().from(session).where(eq(session.userId, u!.user.id));
		// The hub's own session (made by Better Auth's callback) was deleted during the hand-back.
		expect(sessions.map((s) => s.host)).toEqual([A]);
		// Discord tokens are not kept; the e-mail is the placeholder.
		expect(u!.account.accessToken).toBeNull();
		expect(u!.user.email).toBe(`${ownerId}@users.discord.invalid`);
		// The hand-back token is spent.
		expect(await db().select().from(verification).where(like(verification.identifier, 'hand-back:%'))).toHaveLength(0);
	});

	it('ignores A’s session cookie on host B and on the hub, even for a member of B', async () => {
		const browser = new HttpBrowser(hub);
		await discordSignInFlow(browser, hub.discord, A, ownerId);
		const cookie = browser.cookieHeader(`http://${A}/admin`);
		expect(cookie).toContain('session_token');

		expect((await get(hub.origin, '/admin', A, { cookie })).status).toBe(200);
		const onB = await get(hub.origin, '/admin', B, { cookie });
		expect(onB.status).toBe(303);
		expect(onB.headers.location).toBe('/login?next=%2Fadmin');
		const onHub = await get(hub.origin, '/admin', HUB, { cookie });
		expect(onHub.status).toBe(303);
		expect(onHub.headers.location).toMatch(/^\/login/);
	});

	it('refuses a replayed hand-back', async () => {
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { stopBefore: isFinish });
		const nonce = browser.cookiesFor(flow.stoppedAt!).find((c) => c.name.includes('nonce'))!;
		expect(nonce).toBeDefined();
		const first = await browser.follow(flow.stoppedAt!);
		expect(first.final.url).toBe(`http://${A}/admin`);

		// Same URL, same nonce cookie, another jar: the token is already spent.
		const replay = new HttpBrowser(hub);
		replay.setCookie(A, nonce.name, nonce.value, nonce.path);
		const again = await replay.send(flow.stoppedAt!);
		expect(again.status).toBe(302);
		expect(again.location).toBe(`http://${A}/login?error=expired`);
		expect(sessionCookies(replay, A)).toHaveLength(0);
	});

	it('refuses an expired hand-back (the token lives at most 60 s)', async () => {
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { stopBefore: isFinish });
		const token = new URL(flow.stoppedAt!).searchParams.get('token')!;
		const identifier = 'hand-back:' + createHash('sha256').update(token).digest('hex');
		const [row] = await db().select().from(verification).where(eq(verification.identifier, identifier));
		expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
		expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(30_000);

		await db()
			.update(verification)
			.set({ expiresAt: sql`now() - interval '1 second'` })
			.where(eq(verification.identifier, identifier));
		const late = await browser.send(flow.stoppedAt!);
		expect(late.location).toBe(`http://${A}/login?error=expired`);
		expect(sessionCookies(browser, A)).toHaveLength(0);
	});

	it('refuses a hand-back opened in another browser (missing or wrong nonce) and burns it', async () => {
		const victim = new HttpBrowser(hub);
		const flow = await discordSignInFlow(victim, hub.discord, A, ownerId, { stopBefore: isFinish });

		const attacker = new HttpBrowser(hub);
		const noNonce = await attacker.send(flow.stoppedAt!);
		expect(noNonce.location).toBe(`http://${A}/login?error=other_browser`);
		expect(sessionCookies(attacker, A)).toHaveLength(0);
		// Once opened anywhere, the token is gone, also for the browser that started.
		expect((await victim.send(flow.stoppedAt!)).location).toBe(`http://${A}/login?error=expired`);

		// A browser with a nonce of its own (its own sign-in started on A) is refused as well.
		const second = await discordSignInFlow(victim, hub.discord, A, ownerId, { stopBefore: isFinish });
		const other = new HttpBrowser(hub);
		await discordSignInFlow(other, hub.discord, A, '200000000000000777', { stopBefore: isFinish });
		expect(other.cookiesFor(second.stoppedAt!).some((c) => c.name.includes('nonce'))).toBe(true);
		const wrongNonce = await other.send(second.stoppedAt!);
		expect(wrongNonce.location).toBe(`http://${A}/login?error=other_browser`);
		expect(sessionCookies(other, A)).toHaveLength(0);
	});

	it('refuses a hand-back for A opened on B', async () => {
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { stopBefore: isFinish });
		const onB = new URL(flow.stoppedAt!);
		onB.host = B;
		const res = await browser.send(onB.href);
		expect(res.location).toBe(`http://${B}/login?error=expired`);
		expect(sessionCookies(browser, B)).toHaveLength(0);
		expect(sessionCookies(browser, A)).toHaveLength(0);
	});

	it('refuses unsafe return paths and keeps safe ones', async () => {
		for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example/admin', 'javascript:alert(1)']) {
			const login = await get(hub.origin, `/login?next=${encodeURIComponent(next)}`, A);
			expect(login.status).toBe(200);
			expect(login.body).toContain('name="next" value="/admin"');
			expect(login.body).not.toContain('evil.example');

			const browser = new HttpBrowser(hub);
			const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { next });
			expect(flow.final.url, next).toBe(`http://${A}/admin`);
			expect(flow.hops.every((h) => !new URL(h.url).host.includes('evil'))).toBe(true);
		}
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { next: '/admin?tab=members' });
		expect(flow.final.url).toBe(`http://${A}/admin?tab=members`);
	});

	it('signs in a phone-only Discord account (no e-mail) with a placeholder address', async () => {
		const phoneId = '200000000000000555';
		ensureDiscordUser(hub.discord, phoneId, { email: null, verified: false, global_name: 'Phone Person' });
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, phoneId, { next: '/admin' });
		// Signed in (no role on A: the "no access" page, not the sign-in page or an error).
		expect(flow.final.url).toBe(`http://${A}/admin`);
		expect(flow.final.status).toBe(403);
		expect(flow.final.body).toContain('Phone Person');
		expect(flow.final.body).toContain('have access to this site');
		const [row] = await db()
			.select({ email: user.email })
			.from(user)
			.innerJoin(account, eq(account.userId, user.id))
			.where(eq(account.accountId, phoneId));
		expect(row?.email).toBe(`${phoneId}@users.discord.invalid`);
	});

	it('makes OWNER_DISCORD_ID owner of SITE_SLUG’s site at sign-in there, and nowhere else', async () => {
		const onB = new HttpBrowser(hub);
		const b = await discordSignInFlow(onB, hub.discord, B, bootstrapId, { next: '/admin' });
		expect(b.final.status).toBe(403);
		const onA = new HttpBrowser(hub);
		const a = await discordSignInFlow(onA, hub.discord, A, bootstrapId, { next: '/admin' });
		expect(a.final.status).toBe(200);
		expect(a.final.body).toContain('data-role="owner"');
		expect(await getRole(siteB.id, (await userIdOfDiscordId(bootstrapId))!)).toBeNull();
	});

	it('grants a pending Discord-id invitation when that account signs in on the inviting site', async () => {
		const inviteeId = '200000000000000043';
		await createInvitation(siteB.id, {
			role: 'editor',
			discordId: inviteeId,
			expiresAt: new Date(Date.now() + 3_600_000),
			createdBy: null
		});
		const onA = await discordSignInFlow(new HttpBrowser(hub), hub.discord, A, inviteeId, { next: '/admin' });
		expect(onA.final.status).toBe(403);
		const onB = await discordSignInFlow(new HttpBrowser(hub), hub.discord, B, inviteeId, { next: '/admin' });
		expect(onB.final.status).toBe(200);
		expect(onB.final.body).toContain('data-role="editor"');
	});

	it('comes back to A’s sign-in page when the person cancels on Discord', async () => {
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, { decision: 'cancel', next: '/admin' });
		expect(new URL(flow.final.url).host).toBe(A);
		expect(flow.final.status).toBe(200);
		expect(flow.final.body).toContain('Discord sign-in was cancelled.');
		expect(sessionCookies(browser, A)).toHaveLength(0);
		expect(sessionCookies(browser, HUB)).toHaveLength(0);
	});

	it('signs out with a POST form, ending the session', async () => {
		const browser = new HttpBrowser(hub);
		await discordSignInFlow(browser, hub.discord, A, ownerId);
		const cookie = browser.cookieHeader(`http://${A}/`);
		const page = await browser.send(`http://${A}/logout`);
		expect(page.body).toContain('<form method="POST"');
		const out = await browser.send(`http://${A}/logout`, { form: {}, headers: { origin: `http://${A}` } });
		expect(out.status).toBe(303);
		expect(sessionCookies(browser, A)).toHaveLength(0);
		// The old cookie no longer works anywhere.
		expect((await get(hub.origin, '/admin', A, { cookie })).status).toBe(303);
	});

	it('answers only the auth endpoints it uses, each on its own kind of host', async () => {
		for (const [path, host] of [
			['/api/auth/get-session', A],
			['/api/auth/list-sessions', HUB],
			['/api/auth/callback/discord?code=x&state=y', A],
			['/api/auth/discord/continue?request=x', A],
			[`${FINISH}?token=x`, HUB],
			['/api/auth/error', HUB]
		] as const) {
			expect((await get(hub.origin, path, host)).status, `${host}${path}`).toBe(404);
		}
		// Dev sign-in does not exist here (DEV_LOGIN is off), not even on a local host.
		const dev = await request(hub.origin, '/api/auth/dev/sign-in', 'localhost', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
			body: 'discordId=100000000000000001'
		});
		expect(dev.status).toBe(404);
	});

	it('refuses a sign-in form posted from another site', async () => {
		const res = await request(hub.origin, '/api/auth/discord/start', A, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://${B}` },
			body: 'next=%2Fadmin'
		});
		expect(res.status).toBe(403);
		expect(res.headers['set-cookie']).toBeUndefined();
	});
});

describe.runIf(inject('templateDatabase'))('rate limiting of sign-in endpoints', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	beforeAll(async () => {
		const site = await createSite({ name: 'Limited' });
		await setPrimaryDomain(site.id, (await createDomain(site.id, A)).id);
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, AUTH_RATE_LIMIT_MAX: '3' } });
	});
	afterAll(() => hub?.stop());

	it('counts requests per client IP in the database and ignores X-Forwarded-For without TRUST_PROXY', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) {
			// A new spoofed address each time: without TRUST_PROXY the socket address counts.
			const r = await get(hub.origin, `${FINISH}?token=guess${i}`, A, {
				'x-forwarded-for': `203.0.113.${i}`,
				'x-hub-client-ip': `198.51.100.${i}`
			});
			statuses.push(r.status);
		}
		expect(statuses).toEqual([302, 302, 302, 429, 429]);
		const rows = await db().select().from(rateLimit);
		expect(rows.some((r) => r.key.includes('127.0.0.1') && r.count >= 3)).toBe(true);
		expect(rows.some((r) => r.key.includes('203.0.113') || r.key.includes('198.51.100'))).toBe(false);
	});
});
