/**
 * Hardening seen from outside, over real HTTP:
 * - security headers on every kind of response (public pages, feeds, 404s, the no-site page, a
 *   paused site, sign-in, admin, the hub, health): nosniff and a Referrer-Policy everywhere, a
 *   Content-Security-Policy on every HTML page, framing refused for admin and sign-in;
 * - the session cookie: HttpOnly, SameSite=Lax, host-only (no Domain), Path=/, and Secure when the
 *   site is served over https (behind a trusted proxy);
 * - every return-path parameter (`next` on /login, on the hub and on sites) only ever leads to a
 *   relative path on the same host.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { setPrimaryDomain, setSiteStatus } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { get, type HttpResult } from '../support/server';
import { discordSignInFlow, signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { HttpBrowser } from '../support/http-browser';

const A = 'headers-a.example';

describe.runIf(inject('templateDatabase'))('security headers, cookies and return paths', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let ownerId: string;
	let paused: string;

	beforeAll(async () => {
		const a = await createSite({ name: 'Headers Alpha' });
		await setPrimaryDomain(a.id, (await createDomain(a.id, A)).id);
		const p = await createSite({ name: 'Paused Collective' });
		await setSiteStatus(p.id, 'suspended');
		paused = `${p.slug}.hub.test`;
		ownerId = (await createMember(a, 'owner')).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
	}, 60_000);
	afterAll(() => hub?.stop());

	it('sends the security headers on every kind of response', async () => {
		const owner = await signIn(hub, A, ownerId);
		const cases: [string, string, Record<string, string>, { html: boolean; noFraming: boolean }][] = [
			['public home', '/', {}, { html: true, noFraming: false }],
			['public event list', '/events', {}, { html: true, noFraming: false }],
			['calendar feed', '/events.ics', {}, { html: false, noFraming: false }],
			['atom feed', '/feed.xml', {}, { html: false, noFraming: false }],
			['sitemap', '/sitemap.xml', {}, { html: false, noFraming: false }],
			['site 404', '/no-such-page', {}, { html: true, noFraming: false }],
			['sign-in page', '/login', {}, { html: true, noFraming: true }],
			['admin dashboard', '/admin', { cookie: owner }, { html: true, noFraming: true }],
			['admin events', '/admin/events', { cookie: owner }, { html: true, noFraming: true }],
			['media 404', '/media/sites/x/event/00000000-0000-4000-8000-000000000000-480.webp', {}, { html: false, noFraming: false }],
			['health', '/healthz', {}, { html: false, noFraming: false }]
		];
		const responses: [string, HttpResult, { html: boolean; noFraming: boolean }][] = [];
		for (const [name, path, headers, expect_] of cases) responses.push([name, await get(hub.origin, path, A, headers), expect_]);
		responses.push(['no site here', await get(hub.origin, '/', 'nobody.example'), { html: true, noFraming: false }]);
		responses.push(['paused site (410)', await get(hub.origin, '/', paused), { html: true, noFraming: false }]);
		responses.push(['hub landing', await get(hub.origin, '/', 'hub.test'), { html: true, noFraming: true }]);
		responses.push(['hub sign-in', await get(hub.origin, '/login', 'hub.test'), { html: true, noFraming: true }]);
		for (const [name, r, want] of responses) {
			expect(r.status, name).toBeLessThan(500);
			expect(r.headers['x-content-type-options'], name).toBe('nosniff');
			expect(r.headers['referrer-policy'], name).toBe('strict-origin-when-cross-origin');
			const isHtml = String(r.headers['content-type'] ?? '').startsWith('text/html');
			expect(isHtml, `${name} is HTML`).toBe(want.html);
			if (isHtml && r.body.includes('<script')) {
				const csp = String(r.headers['content-security-policy'] ?? '');
				expect(csp, name).toContain("default-src 'self'");
				expect(csp, name).toMatch(/script-src 'self'( 'sha256-[^']+')*;/);
				expect(csp, name).toContain("object-src 'none'");
			}
			if (want.noFraming) expect(r.headers['x-frame-options'], name).toBe('DENY');
			if (want.noFraming) expect(r.headers['cache-control'], name).toBe('private, no-store');
		}
		// Plain pages written by the server itself (no site, paused) carry no script at all.
		expect(responses.find(([n]) => n === 'no site here')![1].body).not.toContain('<script');
	});

	it('sets the session cookie HttpOnly, SameSite=Lax, host-only', async () => {
		const browser = new HttpBrowser(hub);
		const flow = await discordSignInFlow(browser, hub.discord, A, ownerId, {});
		const sessionSetCookies = flow.hops
			.flatMap((h) => [h.headers['set-cookie'] ?? []].flat())
			.filter((c) => /session_token=[^;]+/.test(c) && !/max-age=0|expires=thu, 01 jan 1970/i.test(c));
		expect(sessionSetCookies.length).toBeGreaterThan(0);
		for (const c of sessionSetCookies) {
			expect(c).toMatch(/;\s*HttpOnly/i);
			expect(c).toMatch(/;\s*SameSite=Lax/i);
			expect(c).toMatch(/;\s*Path=\//i);
			expect(c).not.toMatch(/;\s*Domain=/i);
		}
		// Served over https the cookie is also Secure and __Secure- prefixed: auth-dev-sign-in.test.ts.
	});

	it('keeps every return path on the same host, whatever is passed', async () => {
		const hostile = [
			'//evil.example',
			'///evil.example',
			'/\\evil.example',
			'\\\\evil.example',
			'/%2F%2Fevil.example',
			'/%5Cevil.example',
			'https://evil.example/admin',
			'http:evil.example',
			'javascript:alert(1)',
			'data:text/html,hi',
			'/\t/evil.example',
			'/\n/evil.example',
			' //evil.example',
			'//evil.example@' + A,
			'/..//evil.example',
			'%2F%2Fevil.example'
		];
		for (const host of [A, 'hub.test', paused]) {
			for (const next of hostile) {
				const login = await get(hub.origin, `/login?next=${encodeURIComponent(next)}`, host);
				expect(login.status, `${host} ${JSON.stringify(next)}`).toBeLessThan(500);
				const kept = /name="next" value="([^"]*)"/.exec(login.body)?.[1] ?? '/';
				const decoded = kept.replace(/&amp;/g, '&');
				expect(
					decoded.startsWith('/') && !decoded.startsWith('//') && !decoded.includes('\\'),
					`${host} ${JSON.stringify(next)} → ${decoded}`
				).toBe(true);
				expect(new URL(decoded, `http://${host}`).host, `${host} ${JSON.stringify(next)}`).toBe(host);
			}
		}
		// And through the whole Discord round trip, the browser ends on the same host.
		for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example']) {
			const flow = await discordSignInFlow(new HttpBrowser(hub), hub.discord, A, ownerId, { next });
			expect(new URL(flow.final.url).host, next).toBe(A);
			expect(
				flow.hops.every((h) => !String(h.location ?? '').includes('evil.example')),
				next
			).toBe(true);
		}
	});
});
