/**
 * Where a sign-in ends, and how long it lasts, against the built server:
 * - any `next` (crafted links included) ends as a path on the same host, on /login signed in or
 *   not and at the hand-back finish, which still signs the person in (cookie set);
 * - a member signing in on the hub lands on "my sites", each linking to its admin on its domain;
 * - sessions last SESSION_MAX_AGE_DAYS (90) and slide: used after a day, they are pushed back;
 * - the fields that take a Discord id say how to find it (hint attached with aria-describedby).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { session } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { setMembership } from '../../src/lib/server/queries/members';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { HttpBrowser } from '../support/http-browser';
import { get } from '../support/server';
import { discordSignInFlow, signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const A = 'landing-a.example';
const HUB = 'hub.test';
const FINISH = '/api/auth/discord/finish';
const DAY = 86_400_000;

/** What a `next` must become: a path on this host that a Location header can carry. */
const SAME_HOST_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;
const ATTACKS = [
	'/∕x',
	'/∕∕evil.com',
	'/／／evil.com',
	'//evil.com',
	'/\\evil.com',
	'https://evil.com',
	'%2F%2Fevil.com',
	'/%2F%2Fevil.com',
	'/%5Cevil.com',
	'/\t/evil.com',
	'/.//evil.com',
	'javascript:alert(1)',
	'/é?x=∕#Ā'
];
const hiddenNext = (html: string) => /name="next" value="([^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');

describe.runIf(inject('templateDatabase'))('where sign-in ends, and how long it lasts', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const memberId = '400000000000000001';
	const superAdminId = '400000000000000099';

	beforeAll(async () => {
		siteA = await createSite({ name: 'Landing Films' });
		siteB = await createSite({ name: 'Beta Zines' });
		await setPrimaryDomain(siteA.id, (await createDomain(siteA.id, A)).id);
		const member = await createMember(siteA, 'editor', { discordId: memberId, name: 'Mia Member' });
		await setMembership(siteB.id, member.id, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: superAdminId } });
	});
	afterAll(() => hub?.stop());

	describe('a crafted `next`', () => {
		it('is a same-host path on /login when signed out (site and hub)', async () => {
			for (const host of [A, HUB]) {
				for (const next of ATTACKS) {
					const page = await get(hub.origin, `/login?${new URLSearchParams({ next })}`, host);
					expect(page.status, `${host} ${next}`).toBe(200);
					expect(hiddenNext(page.body), `${host} ${next}`).toMatch(SAME_HOST_PATH);
				}
			}
		});

		it('redirects to a same-host path on /login when signed in', async () => {
			const cookie = await signIn(hub, A, memberId);
			for (const next of ATTACKS) {
				const res = await get(hub.origin, `/login?${new URLSearchParams({ next })}`, A, { cookie });
				expect(res.status, next).toBe(303);
				expect(res.headers.location, next).toMatch(SAME_HOST_PATH);
			}
			const plain = await get(hub.origin, `/login?next=${encodeURIComponent('/∕x')}`, A, { cookie });
			expect(plain.headers.location).toBe('/%E2%88%95x');
		});

		it('still ends the hand-back with a session and a cookie on the site', async () => {
			for (const next of ['/∕x', '//evil.com', '/\\evil.com', 'https://evil.com', '/%2F%2Fevil.com']) {
				const browser = new HttpBrowser(hub);
				const flow = await discordSignInFlow(browser, hub.discord, A, memberId, {
					next,
					stopBefore: (u) => u.host === A && u.pathname !== FINISH
				});
				const finish = flow.hops.find((h) => new URL(h.url).pathname === FINISH);
				expect(finish?.status, next).toBe(302);
				expect(finish?.headers.location, next).toMatch(SAME_HOST_PATH);
				expect(browser.cookieHeader(`http://${A}/admin`), next).toContain('session_token');
				const admin = await browser.send(`http://${A}/admin`);
				expect(admin.status, next).toBe(200);
				expect(admin.body).toContain('<title>Dashboard · Landing Films</title>');
			}
		});
	});

	describe('signing in on the hub', () => {
		it('lands a member on "my sites", each linking to its admin on its own domain', async () => {
			const browser = new HttpBrowser(hub);
			const login = await browser.send(`http://${HUB}/login`);
			const next = hiddenNext(login.body);
			expect(next).toBe('/');
			const flow = await discordSignInFlow(browser, hub.discord, HUB, memberId, { next });
			expect(flow.final.url).toBe(`http://${HUB}/`);
			expect(flow.final.status).toBe(200);
			expect(flow.final.body).toContain('The sites you help run');
			expect(flow.final.body).toContain('Landing Films');
			expect(flow.final.body).toContain('Beta Zines');
			expect(flow.final.body).toContain(`href="http://${A}/admin"`);
			expect(flow.final.body).toContain(`href="http://${siteB.slug}.${HUB}/admin"`);
			expect(flow.final.body).not.toContain('href="https://');

			// The hub's own sign-in link, and /login when already signed in, go there too.
			const again = await browser.send(`http://${HUB}/login`);
			expect(again.status).toBe(303);
			expect(again.location).toBe(`http://${HUB}/`);
		});
	});

	describe('sessions', () => {
		const sessionCookieOf = (raw: string | string[] | undefined) => [raw ?? []].flat().find((c) => c.includes('session_token='));
		const maxAge = (raw: string | undefined) => Number(/max-age=(\d+)/i.exec(raw ?? '')?.[1]);

		it('last 90 days, and are pushed back to 90 days when used after a day', async () => {
			const browser = new HttpBrowser(hub);
			const flow = await discordSignInFlow(browser, hub.discord, A, memberId, { stopBefore: (u) => u.host === A && u.pathname !== FINISH });
			const finish = flow.hops.find((h) => new URL(h.url).pathname === FINISH)!;
			expect(maxAge(sessionCookieOf(finish.headers['set-cookie']))).toBe(90 * 86_400);
			const cookie = browser.cookiesFor(`http://${A}/`).find((c) => c.name.includes('session_token'))!;
			const token = decodeURIComponent(cookie.value).split('.')[0]!;
			const row = async () => (await db().select().from(session).where(eq(session.token, token)))[0]!;
			expect(Math.abs((await row()).expiresAt.getTime() - (Date.now() + 90 * DAY))).toBeLessThan(60_000);

			// Used an hour after it was made: nothing to extend.
			const made = new Date(Date.now() + 90 * DAY - 3600_000);
			await db().update(session).set({ expiresAt: made }).where(eq(session.token, token));
			const soon = await browser.send(`http://${A}/admin`);
			expect(soon.status).toBe(200);
			expect(sessionCookieOf(soon.headers['set-cookie'])).toBeUndefined();
			expect((await row()).expiresAt.getTime()).toBe(made.getTime());

			// Used two days after: 90 days from now again, in the row and in the cookie.
			await db()
				.update(session)
				.set({ expiresAt: new Date(Date.now() + 88 * DAY) })
				.where(eq(session.token, token));
			const later = await browser.send(`http://${A}/admin`);
			expect(later.status).toBe(200);
			expect(maxAge(sessionCookieOf(later.headers['set-cookie']))).toBe(90 * 86_400);
			expect(Math.abs((await row()).expiresAt.getTime() - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
			expect((await browser.send(`http://${A}/admin`)).status).toBe(200);
		});
	});

	describe('a Discord id field', () => {
		/** The hint attached to the input named `name`, through its aria-describedby. */
		function hintOf(html: string, name: string): string {
			const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
			const ids = /aria-describedby="([^"]+)"/.exec(input)?.[1]?.split(' ') ?? [];
			return ids.map((id) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '').join(' ');
		}

		it('says how to find the id, on the Members screen and the hub’s create-site form', async () => {
			const owner = await signIn(hub, `${siteB.slug}.${HUB}`, memberId);
			const members = await get(hub.origin, '/admin/members', `${siteB.slug}.${HUB}`, { cookie: owner });
			expect(members.status).toBe(200);
			const panel = await get(hub.origin, '/admin', HUB, { cookie: await signIn(hub, HUB, superAdminId) });
			expect(panel.status).toBe(200);
			for (const hint of [hintOf(members.body, 'discordId'), hintOf(panel.body, 'ownerDiscordId')]) {
				expect(hint).toMatch(/User Settings → Advanced → Developer Mode/);
				expect(hint).toMatch(/right-click .* Copy User ID/);
			}
		});
	});
});
