/**
 * Tenant isolation, CSRF and security headers over every admin screen and form action found in
 * the route tree (tests/support/route-tree.ts), so new sections are covered when they land.
 * Complements security-matrix.test.ts: B's rows are compared across EVERY table with a site_id
 * column (found in information_schema, so tables added later are covered too), with more
 * personas (admin of A, a user with no role) and CSRF without Origin but with Sec-Fetch-Site.
 *
 * Sites A and B each get rows of every kind with unique marker strings. Personas sign in on A's
 * host through the real Discord flow. For each page and persona: the status matches the role and
 * the body never shows B's markers. For each action and persona: a same-origin POST whose id-like
 * fields carry B's row ids must leave B's rows (every table with a site_id) exactly as they were,
 * and never answer 5xx. Cross-origin posts (evil Origin, "null", none with Sec-Fetch-Site:
 * cross-site) are refused with 403 and write nothing on A either.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { useTestDatabase } from '../support/db';
import {
	actorOn,
	createAsset,
	createDomain,
	createEvent,
	createMember,
	createNavLink,
	createPage,
	createSite,
	createSocialLink,
	createUser
} from '../support/factories';
import { request, type HttpResult } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import path from 'node:path';
import { routesUnder } from '../support/route-tree';
import { createInvite } from '../../src/lib/server/services/members';

type Persona = 'anonymous' | 'editor of A' | 'admin of A' | 'owner of A' | 'owner of B' | 'no role' | 'super admin';
const PERSONAS: Persona[] = ['anonymous', 'editor of A', 'admin of A', 'owner of A', 'owner of B', 'no role', 'super admin'];
const SUPER_ID = '999999999999999901';

const ROUTES = path.resolve(import.meta.dirname, '../../src/routes');
const siteRoutes = routesUnder(ROUTES, 'admin', '/admin');
const hubRoutes = routesUnder(ROUTES, 'hub/admin', '/admin');
/** `?/name` for named actions, the page itself for the default action (''). */
const actionUrl = (routePath: string, action: string) => (action ? `${routePath}?/${action}` : routePath);

/** Every table with a site_id column, B's rows as one hash per table (counts and contents). */
async function snapshot(siteId: string): Promise<Record<string, string>> {
	const tables = (await db().execute(
		sql`select table_name from information_schema.columns where column_name = 'site_id' and table_schema = 'public' order by table_name`
	)) as unknown as Array<{ table_name: string }>;
	const out: Record<string, string> = {};
	for (const { table_name } of tables) {
		const rows = (await db().execute(sql`select * from ${sql.identifier(table_name)} where site_id = ${siteId}`)) as unknown as unknown[];
		const lines = rows.map((r) => JSON.stringify(r)).sort();
		out[table_name] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
	}
	const site = (await db().execute(sql`select * from site where id = ${siteId}`)) as unknown as unknown[];
	out.site = createHash('sha256').update(JSON.stringify(site)).digest('hex');
	return out;
}

describe.runIf(inject('templateDatabase'))('admin routes: isolation, CSRF and headers', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let hostB: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const cookies = {} as Record<Persona, string>;
	const hubCookies = {} as Record<Persona, string>;
	const markersB: string[] = [];
	const idsB: Record<string, string> = {};
	let combos = 0;

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Film Club' });
		siteB = await createSite({ name: 'MARKERB-site Bravo' });
		hostA = `${siteA.slug}.hub.test`;
		hostB = `${siteB.slug}.hub.test`;
		for (const site of [siteA, siteB]) {
			const tag = site === siteB ? 'MARKERB' : 'markera';
			const ev = await createEvent(site, { title: `${tag}-event`, status: 'draft' });
			const pg = await createPage(site, { title: `${tag}-page`, published: false });
			const nav = await createNavLink(site);
			const social = await createSocialLink(site);
			const asset = await createAsset(site, { altText: `${tag}-asset` } as never);
			const domain = await createDomain(site.id, `${tag.toLowerCase()}-${site.slug}.example`, false);
			const member = await createMember(site, 'editor', { name: `${tag}-member` });
			if (site === siteB) {
				markersB.push('MARKERB', siteB.slug);
				Object.assign(idsB, {
					id: ev.id,
					eventId: ev.id,
					pageId: pg.id,
					linkId: (nav as { id: string }).id,
					navLinkId: (nav as { id: string }).id,
					socialLinkId: (social as { id: string }).id,
					assetId: (asset as { id: string }).id,
					domainId: (domain as { id: string }).id,
					userId: member.id,
					memberId: member.id
				});
			}
		}
		const ownerB = await createMember(siteB, 'owner');
		await createInvite(await actorOn(siteB, { id: ownerB.id, name: 'MARKERB-owner' }, 'owner'), { role: 'editor' });
		const people: Record<Exclude<Persona, 'anonymous'>, string> = {
			'editor of A': (await createMember(siteA, 'editor')).discordId,
			'admin of A': (await createMember(siteA, 'admin')).discordId,
			'owner of A': (await createMember(siteA, 'owner')).discordId,
			'owner of B': ownerB.discordId,
			'no role': (await createUser()).discordId,
			'super admin': (await createUser({ discordId: SUPER_ID })).discordId
		};
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER_ID } });
		for (const [who, discordId] of Object.entries(people)) {
			cookies[who as Persona] = await signIn(hub, hostA, discordId);
			hubCookies[who as Persona] = await signIn(hub, 'hub.test', discordId);
		}
		cookies.anonymous = '';
		hubCookies.anonymous = '';
	}, 120_000);
	afterAll(async () => {
		console.log(
			`isolation matrix: ${siteRoutes.length} site admin pages, ${siteRoutes.reduce((n, r) => n + r.actions.length, 0)} actions, ${hubRoutes.length} hub pages; ${combos} (route, action, persona, host) combinations`
		);
		await hub?.stop();
	});

	it('finds admin routes and actions in the route tree', () => {
		expect(siteRoutes.length).toBeGreaterThan(0);
		expect(siteRoutes.some((r) => r.actions.length > 0)).toBe(true);
	});

	// The super-admin panel on the hub: only the super admin gets in; nobody else changes anything.
	const fillHub = (path: string) =>
		path.replace(/\[+\.*([^\]]+)\]+/g, (_, name: string) => (name === 'slug' ? siteB.slug : (idsB[name] ?? 'x')));
	for (const route of hubRoutes) {
		for (const who of PERSONAS) {
			it(`GET ${route.path} as ${who} on the hub`, async () => {
				combos++;
				const r = await request(hub.origin, fillHub(route.path), 'hub.test', { headers: { cookie: hubCookies[who], accept: 'text/html' } });
				expect(r.status).toBeLessThan(500);
				expect(r.headers['x-frame-options']).toBe('DENY');
				expect(r.headers['x-content-type-options']).toBe('nosniff');
				if (who === 'super admin') expect(r.status).toBe(200);
				else if (who === 'anonymous') expect([303, 401, 403, 404]).toContain(r.status);
				else expect([403, 404]).toContain(r.status);
				if (who !== 'super admin') for (const m of markersB) expect(r.body).not.toContain(m);
			});
		}
		for (const action of route.actions) {
			for (const who of PERSONAS.filter((p) => p !== 'super admin')) {
				it(`POST ${actionUrl(route.path, action)} on the hub as ${who} changes nothing`, async () => {
					combos++;
					const before = [await snapshot(siteA.id), await snapshot(siteB.id)];
					const r = await request(hub.origin, actionUrl(fillHub(route.path), action), 'hub.test', {
						method: 'POST',
						headers: {
							cookie: hubCookies[who],
							origin: 'http://hub.test',
							'content-type': 'application/x-www-form-urlencoded',
							accept: 'text/html'
						},
						body: new URLSearchParams({ ...idsB, slug: siteB.slug, name: 'x', hostname: 'evil-x.example' }).toString()
					});
					expect(r.status).toBeLessThan(500);
					expect([await snapshot(siteA.id), await snapshot(siteB.id)]).toEqual(before);
				});
			}
			it(`CSRF: POST ${actionUrl(route.path, action)} on the hub as super admin from https://evil.example → 403`, async () => {
				combos++;
				const before = [await snapshot(siteA.id), await snapshot(siteB.id)];
				const r = await request(hub.origin, actionUrl(fillHub(route.path), action), 'hub.test', {
					method: 'POST',
					headers: {
						cookie: hubCookies['super admin'],
						origin: 'https://evil.example',
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ slug: siteB.slug, name: 'x', hostname: 'evil-x.example' }).toString()
				});
				expect(r.status).toBe(403);
				expect([await snapshot(siteA.id), await snapshot(siteB.id)]).toEqual(before);
			});
		}
	}

	// The same site screens on the hub at /sites/<A's slug>/admin: the super admin and A's members
	// (by role); B's owner and outsiders never; B's ids in the form never reach B.
	for (const route of siteRoutes) {
		const hubPath = () => fill(route.path).replace(/^\/admin/, `/sites/${siteA.slug}/admin`);
		for (const who of PERSONAS) {
			it(`GET /sites/<A>${route.path} as ${who} on the hub`, async () => {
				combos++;
				const r = await request(hub.origin, hubPath(), 'hub.test', { headers: { cookie: hubCookies[who], accept: 'text/html' } });
				expect(r.status).toBeLessThan(500);
				for (const m of markersB) expect(r.body).not.toContain(m);
				expect(r.headers['x-frame-options']).toBe('DENY');
				if (route.params.length > 0) expect(r.status).not.toBe(200);
				else if (who === 'super admin') expect(r.status).toBe(200);
				else if (who.endsWith('of A')) expect([200, 403]).toContain(r.status);
				else expect(r.status).not.toBe(200);
			});
		}
		for (const action of route.actions) {
			for (const who of ['super admin', 'owner of A', 'owner of B'] as const) {
				it(`POST /sites/<A>${actionUrl(route.path, action)} on the hub as ${who} with B's ids leaves B alone`, async () => {
					combos++;
					const before = await snapshot(siteB.id);
					const r = await request(hub.origin, actionUrl(hubPath(), action), 'hub.test', {
						method: 'POST',
						headers: {
							cookie: hubCookies[who],
							origin: 'http://hub.test',
							'content-type': 'application/x-www-form-urlencoded',
							accept: 'text/html'
						},
						body: new URLSearchParams({
							...idsB,
							role: 'editor',
							slug: siteA.slug,
							title: 'x',
							name: 'x',
							hostname: 'x.example',
							url: 'https://x.example/',
							label: 'x'
						}).toString()
					});
					expect(r.status).toBeLessThan(500);
					expect(await snapshot(siteB.id)).toEqual(before);
				});
			}
			it(`CSRF: POST /sites/<A>${actionUrl(route.path, action)} on the hub as super admin from https://evil.example → 403`, async () => {
				combos++;
				const before = await snapshot(siteA.id);
				const r = await request(hub.origin, actionUrl(hubPath(), action), 'hub.test', {
					method: 'POST',
					headers: {
						cookie: hubCookies['super admin'],
						origin: 'https://evil.example',
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ role: 'editor' }).toString()
				});
				expect(r.status).toBe(403);
				expect(await snapshot(siteA.id)).toEqual(before);
			});
		}
	}

	const fill = (path: string) => path.replace(/\[+\.*([^\]]+)\]+/g, (_, name: string) => idsB[name] ?? idsB.id ?? 'x');

	for (const route of siteRoutes) {
		for (const who of PERSONAS) {
			it(`GET ${route.path} as ${who} on A's host`, async () => {
				combos++;
				const r = await request(hub.origin, fill(route.path), hostA, { headers: { cookie: cookies[who], accept: 'text/html' } });
				expect(r.status).toBeLessThan(500);
				for (const m of markersB) expect(r.body).not.toContain(m);
				if (route.params.length > 0) {
					// B's ids in the URL on A's host: never B's row.
					expect(r.status).not.toBe(200);
					return;
				}
				if (who === 'anonymous') {
					expect(r.status).toBe(303);
					expect(String(r.headers.location)).toMatch(/^\/login/);
				} else if (who === 'owner of B' || who === 'no role') expect([403, 404]).toContain(r.status);
				else expect([200, 403]).toContain(r.status);
				if (route.path === '/admin' && who !== 'anonymous' && who !== 'owner of B' && who !== 'no role') expect(r.status).toBe(200);
				// Headers on admin responses.
				expect(r.headers['x-content-type-options']).toBe('nosniff');
				expect(r.headers['referrer-policy']).toBeTruthy();
				expect(r.headers['x-frame-options']).toBe('DENY');
				if (r.status === 200) expect(String(r.headers['content-security-policy'] ?? '')).toMatch(/script-src/);
			});
		}
		for (const action of route.actions) {
			for (const who of PERSONAS) {
				it(`POST ${actionUrl(route.path, action)} as ${who} on A's host with B's ids leaves B alone`, async () => {
					combos++;
					const before = await snapshot(siteB.id);
					const body = new URLSearchParams({
						...idsB,
						role: 'editor',
						// A's own slug: renaming A would move its host away from the signed-in sessions.
						slug: siteA.slug,
						title: 'x',
						name: 'x',
						hostname: 'x.example',
						url: 'https://x.example/',
						label: 'x'
					});
					const r = await request(hub.origin, actionUrl(fill(route.path), action), hostA, {
						method: 'POST',
						headers: {
							cookie: cookies[who],
							origin: `http://${hostA}`,
							'content-type': 'application/x-www-form-urlencoded',
							accept: 'text/html'
						},
						body: body.toString()
					});
					expect(r.status).toBeLessThan(500);
					for (const m of markersB) expect(r.body).not.toContain(m);
					expect(await snapshot(siteB.id)).toEqual(before);
				});
			}
			for (const [label, headers] of [
				['Origin https://evil.example', { origin: 'https://evil.example' }],
				['Origin null', { origin: 'null' }],
				['no Origin, Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
				["B's host as Origin", { origin: `http://${'HOSTB'}` }]
			] as const) {
				it(`CSRF: POST ${actionUrl(route.path, action)} as owner of A, ${label} → 403, nothing written`, async () => {
					combos++;
					const h: Record<string, string> = { ...headers };
					if (h.origin === 'http://HOSTB') h.origin = `http://${hostB}`;
					const beforeA = await snapshot(siteA.id);
					const r: HttpResult = await request(hub.origin, actionUrl(fill(route.path), action), hostA, {
						method: 'POST',
						headers: { ...h, cookie: cookies['owner of A'], 'content-type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams({ role: 'editor' }).toString()
					});
					expect(r.status).toBe(403);
					expect(await snapshot(siteA.id)).toEqual(beforeA);
				});
			}
		}
	}
});
