/**
 * Route-driven isolation and CSRF matrix. Every admin page and form action is read from the route
 * tree (tests/support/route-tree.ts), so a screen added later is covered without editing this file.
 *
 * For each site-admin route, on site A's host: GET as every persona gets the expected status
 * (anonymous → sign-in, outsiders and members of B → 403, nobody ever 5xx) and never shows B's
 * marker text. Each action is posted by every persona with B's ids in every id field and route
 * parameter; afterwards B's rows are exactly as before. The same actions posted cross-origin (even
 * by A's owner) are refused with 403 on A's host, on B's host and on the hub. The hub panel's
 * pages and actions answer 404 to everyone but super admins.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, event, home, invitation, membership, navLink, page, site, siteDomain, socialLink } from '../../src/lib/server/db/schema';
import { createInvitation } from '../../src/lib/server/queries/members';
import { useTestDatabase } from '../support/db';
import {
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
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { routesUnder } from '../support/route-tree';

const ROUTES = path.resolve(import.meta.dirname, '../../src/routes');
const SUPER = '444444444444444444';
type Persona = 'anonymous' | 'outsider' | 'memberOfB' | 'editorA' | 'ownerA' | 'superAdmin';
const PERSONAS: Persona[] = ['anonymous', 'outsider', 'memberOfB', 'editorA', 'ownerA', 'superAdmin'];

describe.runIf(inject('templateDatabase'))('route-driven isolation and CSRF matrix', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	const siteRoutes = routesUnder(ROUTES, 'admin', '/admin');
	const hubRoutes = routesUnder(ROUTES, 'hub/admin', '/admin');
	let A: { id: string; slug: string; host: string };
	let B: { id: string; slug: string; host: string };
	const bIds: Record<string, string> = {};
	const cookies: Record<string, Record<Persona, string>> = {};
	let combinations = 0;

	/** Every row B owns, hashed table by table: any change anywhere shows. */
	async function snapshotOf(siteId: string): Promise<Record<string, string>> {
		const tables = { site, siteDomain, home, event, page, navLink, socialLink, asset, membership, invitation };
		const out: Record<string, string> = {};
		for (const [name, t] of Object.entries(tables)) {
			const column = name === 'site' ? (t as typeof site).id : (t as typeof event).siteId;
			const rows = await db().select().from(t).where(eq(column, siteId));
			out[name] = createHash('sha1')
				.update(JSON.stringify(rows.map((r) => JSON.stringify(r)).sort()))
				.digest('hex');
		}
		return out;
	}

	beforeAll(async () => {
		const a = await createSite({ name: 'Alpha Matrix', slug: 'alpha-matrix' });
		const b = await createSite({ name: 'Bravo Matrix SECRET-B', slug: 'bravo-matrix', tagline: 'SECRET-B tagline' });
		A = { id: a.id, slug: a.slug, host: 'alpha-matrix.hub.test' };
		B = { id: b.id, slug: b.slug, host: 'bravo-matrix.hub.test' };
		for (const s of [a, b]) {
			await createEvent(s, { title: `${s.name} event` });
			await createPage(s, { title: `${s.name} page` });
			await createNavLink(s);
			await createSocialLink(s);
			await createAsset(s);
		}
		bIds.event = (await db().select().from(event).where(eq(event.siteId, B.id)))[0]!.id;
		bIds.page = (await db().select().from(page).where(eq(page.siteId, B.id)))[0]!.id;
		bIds.nav = (await db().select().from(navLink).where(eq(navLink.siteId, B.id)))[0]!.id;
		bIds.social = (await db().select().from(socialLink).where(eq(socialLink.siteId, B.id)))[0]!.id;
		bIds.asset = (await db().select().from(asset).where(eq(asset.siteId, B.id)))[0]!.id;
		bIds.domain = (await createDomain(B.id, 'bravo-matrix.example', false)).id;
		bIds.invitation = (
			await createInvitation(B.id, {
				role: 'editor',
				discordId: '555555555555555555',
				expiresAt: new Date(Date.now() + 86_400_000),
				createdBy: null
			})
		).id;
		const bOwner = await createMember(b, 'owner');
		bIds.user = bOwner.id;
		const people = {
			outsider: (await createUser()).discordId!,
			memberOfB: bOwner.discordId,
			editorA: (await createMember(a, 'editor')).discordId,
			ownerA: (await createMember(a, 'owner')).discordId,
			superAdmin: SUPER
		};
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER } });
		for (const host of [A.host, B.host, 'hub.test']) {
			cookies[host] = { anonymous: '' } as Record<Persona, string>;
			for (const [who, discordId] of Object.entries(people)) cookies[host]![who as Persona] = await signIn(hub, host, discordId);
		}
	}, 180_000);
	afterAll(() => hub?.stop());

	it('finds the admin screens and their actions in the route tree', () => {
		expect(siteRoutes.length).toBeGreaterThanOrEqual(10);
		expect(siteRoutes.flatMap((r) => r.actions).length).toBeGreaterThanOrEqual(20);
		expect(hubRoutes.length).toBeGreaterThanOrEqual(2);
		expect(siteRoutes.map((r) => r.path)).toContain('/admin/events/[id]');
	});

	/** A route's URL with every parameter set to one of B's ids (its events, pages…). */
	const withBIds = (routePath: string) =>
		routePath.replace('[id]', routePath.includes('/pages/') ? bIds.page! : bIds.event!).replace('[slug]', B.slug);

	/** Form bodies carrying B's ids in every field a form uses to name a row. */
	const hostileBodies = () =>
		Object.entries(bIds).map(([kind, id]) =>
			new URLSearchParams({
				id,
				userId: id,
				kind: kind === 'social' ? 'social' : 'nav',
				direction: 'down',
				confirm: 'yes',
				role: 'owner',
				altText: 'x',
				confirmSlug: B.slug
			}).toString()
		);

	const post = (pathname: string, host: string, cookie: string, body: string, origin = `http://${host}`) =>
		request(hub.origin, pathname, host, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin, accept: 'text/html', ...(cookie ? { cookie } : {}) },
			body
		});

	it('GET of every site-admin page: expected status per persona, never 5xx, never B’s content on A’s host', async () => {
		for (const route of siteRoutes) {
			const pathname = route.path.replace('[id]', '00000000-0000-4000-8000-000000000000');
			for (const who of PERSONAS) {
				const r = await get(hub.origin, pathname, A.host, cookies[A.host]![who] ? { cookie: cookies[A.host]![who] } : {});
				combinations++;
				const label = `${who} GET ${pathname}`;
				expect(r.status, label).toBeLessThan(500);
				expect(r.body, label).not.toContain('SECRET-B');
				if (who === 'anonymous') expect(r.status, label).toBe(303);
				if (who === 'outsider' || who === 'memberOfB') expect(r.status, label).toBe(403);
			}
		}
	});

	it('every action, by every persona, with B’s ids on A’s host (and the hub view of A): B unchanged, never 5xx', async () => {
		const before = await snapshotOf(B.id);
		for (const route of siteRoutes) {
			for (const action of route.actions) {
				const query = action ? `?/${action}` : '';
				for (const [host, prefix] of [
					[A.host, ''],
					['hub.test', `/sites/${A.slug}`]
				] as const) {
					for (const who of PERSONAS) {
						for (const body of hostileBodies()) {
							const r = await post(prefix + withBIds(route.path) + query, host, cookies[host]![who], body);
							combinations++;
							expect(r.status, `${who} on ${host} POST ${route.path}${query}`).toBeLessThan(500);
						}
					}
				}
			}
		}
		expect(await snapshotOf(B.id)).toEqual(before);
		expect((await db().select().from(site).where(eq(site.id, B.id)))[0]!.name).toBe('Bravo Matrix SECRET-B');
	});

	it('cross-origin posts to every action are refused (403) on A’s host, B’s host and the hub, and write nothing', async () => {
		const beforeA = await snapshotOf(A.id);
		const beforeB = await snapshotOf(B.id);
		const audit = await db().execute(sql`select count(*)::int as n from audit_event`);
		for (const route of [...siteRoutes, ...hubRoutes]) {
			const isHubPanel = hubRoutes.includes(route);
			for (const action of route.actions) {
				const query = action ? `?/${action}` : '';
				const targets = isHubPanel
					? [['hub.test', route.path.replace('[slug]', A.slug)]]
					: [
							[A.host, route.path.replace('[id]', '00000000-0000-4000-8000-000000000000')],
							[B.host, route.path.replace('[id]', '00000000-0000-4000-8000-000000000000')],
							['hub.test', `/sites/${A.slug}${route.path.replace('[id]', '00000000-0000-4000-8000-000000000000')}`]
						];
				for (const [host, pathname] of targets) {
					for (const origin of ['https://evil.example', 'null', `http://${host === A.host ? B.host : A.host}`]) {
						const who: Persona = isHubPanel ? 'superAdmin' : 'ownerA';
						const r = await post(
							pathname + query,
							host!,
							cookies[host!]![who],
							new URLSearchParams({ name: 'pwned', confirm: 'yes', confirmSlug: A.slug }).toString(),
							origin
						);
						combinations++;
						expect(r.status, `${origin} → ${host}${pathname}${query}`).toBe(403);
					}
				}
			}
		}
		expect(await snapshotOf(A.id)).toEqual(beforeA);
		expect(await snapshotOf(B.id)).toEqual(beforeB);
		expect(await db().execute(sql`select count(*)::int as n from audit_event`)).toEqual(audit);
	});

	it('the hub panel answers 404 to everyone but super admins, for every page and action', async () => {
		for (const route of hubRoutes) {
			const pathname = route.path.replace('[slug]', A.slug);
			for (const who of PERSONAS.filter((p) => p !== 'superAdmin')) {
				const cookie = cookies['hub.test']![who];
				expect((await get(hub.origin, pathname, 'hub.test', cookie ? { cookie } : {})).status, `${who} GET ${pathname}`).toBe(
					who === 'anonymous' ? 303 : 404
				);
				for (const action of route.actions) {
					const r = await post(
						`${pathname}?/${action}`,
						'hub.test',
						cookie,
						new URLSearchParams({ confirmSlug: A.slug, name: 'x', slug: 'x', timezone: 'UTC' }).toString()
					);
					combinations++;
					expect(r.status, `${who} POST ${pathname}?/${action}`).toBe(404);
				}
			}
		}
		expect((await db().select().from(site).where(eq(site.id, A.id))).length).toBe(1);
		console.log(`isolation matrix: ${combinations} (route, action, persona, host, ids) combinations`);
	});
});
