/**
 * The super-admin panel over real HTTP on the hub: everyone but a super admin (a plain user, an
 * owner of a site; anonymous visitors are sent to sign in) gets 404 on every panel page and action,
 * and nothing changes; a super
 * admin creates, suspends, resumes and deletes sites, and deleting site A leaves site B's rows and
 * media objects untouched. With 5,000 sites the list and the search are one query each.
 */
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, auditEvent, event, invitation, membership, navLink, page, site, siteDomain } from '../../src/lib/server/db/schema';
import { withQueryCounter } from '../../src/lib/server/db/query-count';
import { searchSites } from '../../src/lib/server/queries/hub';
import { useTestDatabase } from '../support/db';
import { createEvent, createMember, createNavLink, createPage, createSite, createUser } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { file, jpeg } from '../support/images';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

const SUPER = '111111111111111111';
const HUB = 'hub.test';

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => path.join(e.parentPath, e.name));
}

describe.runIf(inject('templateDatabase'))('super-admin panel', () => {
	const tdb = useTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-admin-'));
	let hub: HubWithDiscord;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const cookie = {} as Record<'super' | 'plain' | 'owner' | 'anonymous', string>;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'super') =>
		postAdminForm(hub.origin, path, HUB, cookie[who], fields);
	const siteTables = [event, page, navLink, membership, invitation, siteDomain, asset, auditEvent] as const;
	const rowsOf = async (siteId: string) => {
		const counts: number[] = [];
		for (const t of siteTables) counts.push((await db().select().from(t).where(eq(t.siteId, siteId))).length);
		return counts;
	};

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Panel', slug: 'alpha-panel' });
		siteB = await createSite({ name: 'Bravo Panel', slug: 'bravo-panel' });
		for (const s of [siteA, siteB]) {
			await createEvent(s);
			await createPage(s);
			await createNavLink(s);
		}
		const owner = await createMember(siteA, 'owner');
		const plain = await createUser();
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER, DATA_DIR: dataDir } });
		cookie.super = await signIn(hub, HUB, SUPER);
		cookie.plain = await signIn(hub, HUB, plain.discordId!);
		cookie.owner = await signIn(hub, HUB, owner.discordId);
		cookie.anonymous = '';
		// Images for both sites, uploaded through the site admin on the hub (/sites/<slug>/admin).
		for (const s of [siteA, siteB]) {
			const r = await post(`/sites/${s.slug}/admin/media?/upload`, {
				image: file(await jpeg(800, 600), 'photo.jpg', 'image/jpeg'),
				altText: `${s.name} photo`
			});
			expect(r.status).toBe(303);
		}
	}, 120_000);
	afterAll(() => hub?.stop());

	it('answers 404 to everyone but super admins, on every panel page and action, changing nothing', async () => {
		const before = [await rowsOf(siteA.id), (await db().select().from(site)).length];
		for (const who of ['anonymous', 'plain', 'owner'] as const) {
			for (const path of ['/admin', `/admin/sites/${siteA.slug}`, '/admin/switch?q=alpha', '/admin/switch?q=a&suggest=1']) {
				const r = await get(hub.origin, path, HUB, cookie[who] ? { cookie: cookie[who] } : {});
				// Not signed in, a page sends you to sign in (as every /admin does); the switch endpoint is a 404.
				if (who === 'anonymous' && !path.startsWith('/admin/switch')) {
					expect(r.status, `${who} GET ${path}`).toBe(303);
					expect(locationOf(r), `${who} GET ${path}`).toMatch(/^\/login\?next=/);
				} else expect(r.status, `${who} GET ${path}`).toBe(404);
			}
			const [domain] = await db().select().from(siteDomain).where(eq(siteDomain.siteId, siteA.id));
			for (const [path, fields] of [
				['/admin?/create', { name: 'Sneaky', slug: 'sneaky', timezone: 'UTC' }],
				[`/admin/sites/${siteA.slug}?/suspend`, {}],
				[`/admin/sites/${siteA.slug}?/resume`, {}],
				[`/admin/sites/${siteA.slug}?/delete`, { confirmSlug: siteA.slug }],
				[`/admin/sites/${siteA.slug}?/addDomain`, { hostname: 'sneaky.example' }],
				[`/admin/sites/${siteA.slug}?/verifyDomain`, { id: domain?.id ?? '00000000-0000-0000-0000-000000000000' }],
				[`/admin/sites/${siteA.slug}?/primaryDomain`, { id: domain?.id ?? '00000000-0000-0000-0000-000000000000' }],
				[`/admin/sites/${siteA.slug}?/removeDomain`, { id: domain?.id ?? '00000000-0000-0000-0000-000000000000' }]
			] as [string, Fields][]) {
				expect((await post(path, fields, who)).status, `${who} POST ${path}`).toBe(404);
			}
		}
		expect([await rowsOf(siteA.id), (await db().select().from(site)).length]).toEqual(before);
		expect((await db().select().from(site).where(eq(site.id, siteA.id)))[0]!.status).toBe('active');
	});

	it('lets a super admin search, create a site with an owner invitation and a domain, and switch to it', async () => {
		const panel = await get(hub.origin, '/admin?q=bravo', HUB, { cookie: cookie.super });
		expect(panel.status).toBe(200);
		expect(panel.body).toContain('Bravo Panel');
		expect(panel.body).not.toContain('Alpha Panel</strong>');

		const created = await post('/admin?/create', {
			name: 'Charlie Collective',
			slug: 'charlie',
			timezone: 'Europe/Paris',
			ownerDiscordId: '222222222222222222',
			domain: 'charlie.example'
		});
		expect(created.status).toBe(303);
		expect(locationOf(created)).toBe('/admin/sites/charlie?created=1');
		const [charlie] = await db().select().from(site).where(eq(site.slug, 'charlie'));
		expect(charlie!.timezone).toBe('Europe/Paris');
		const [inv] = await db().select().from(invitation).where(eq(invitation.siteId, charlie!.id));
		expect([inv!.role, inv!.discordId]).toEqual(['owner', '222222222222222222']);
		expect((await get(hub.origin, '/', 'charlie.example')).body).toContain('Charlie Collective');
		expect((await post('/admin?/create', { name: 'Again', slug: 'charlie', timezone: 'UTC' })).status).toBe(400);
		expect((await post('/admin?/create', { name: 'Reserved', slug: 'admin', timezone: 'UTC' })).status).toBe(400);

		const switched = await get(hub.origin, '/admin/switch?q=charlie', HUB, { cookie: cookie.super });
		expect(switched.status).toBe(303);
		expect(locationOf(switched)).toBe('/sites/charlie/admin');
		const suggestions = await get(hub.origin, '/admin/switch?q=pan&suggest=1', HUB, { cookie: cookie.super });
		expect(JSON.parse(suggestions.body).map((s: { slug: string }) => s.slug)).toEqual(['alpha-panel', 'bravo-panel']);
		const audit = await db()
			.select()
			.from(auditEvent)
			.where(sql`${auditEvent.siteId} is null and ${auditEvent.action} = 'site.create'`);
		expect(audit.length).toBe(1);
	});

	it('suspends (public 410) and resumes a site', async () => {
		expect((await post(`/admin/sites/${siteB.slug}?/suspend`, {})).status).toBe(303);
		expect((await get(hub.origin, '/', `${siteB.slug}.hub.test`)).status).toBe(410);
		expect((await post(`/admin/sites/${siteB.slug}?/resume`, {})).status).toBe(303);
		expect((await get(hub.origin, '/', `${siteB.slug}.hub.test`)).status).toBe(200);
	});

	it('deletes site A with its rows and media objects after the slug is typed, leaving B untouched', async () => {
		const bRowsBefore = await rowsOf(siteB.id);
		const mediaA = path.join(dataDir, 'media', 'sites', siteA.slug);
		const mediaB = path.join(dataDir, 'media', 'sites', siteB.slug);
		const bFiles = filesUnder(mediaB);
		expect(filesUnder(mediaA).length).toBeGreaterThan(0);
		expect(bFiles.length).toBeGreaterThan(0);

		expect((await post(`/admin/sites/${siteA.slug}?/delete`, { confirmSlug: 'wrong' })).status).toBe(400);
		expect((await db().select().from(site).where(eq(site.id, siteA.id))).length).toBe(1);

		const r = await post(`/admin/sites/${siteA.slug}?/delete`, { confirmSlug: siteA.slug });
		expect(r.status).toBe(303);
		expect((await db().select().from(site).where(eq(site.id, siteA.id))).length).toBe(0);
		expect(await rowsOf(siteA.id)).toEqual(siteTables.map(() => 0));
		expect(filesUnder(mediaA)).toEqual([]);
		expect(await rowsOf(siteB.id)).toEqual(bRowsBefore);
		expect(filesUnder(mediaB)).toEqual(bFiles);
		expect((await get(hub.origin, '/', `${siteA.slug}.hub.test`)).status).toBe(404);
		expect((await get(hub.origin, '/', `${siteB.slug}.hub.test`)).status).toBe(200);
	});

	it('lists and searches 5,000 sites in one query each', async () => {
		await db().execute(
			sql`insert into site (slug, name, timezone) select 'bulk-' || i, 'Bulk Collective ' || i, 'UTC' from generate_series(1, 5000) i`
		);
		await db().execute(
			sql`insert into site_domain (site_id, hostname, is_primary, verification_token, verified_at) select id, slug || '.bulk.example', true, md5(slug), now() from site where slug like 'bulk-%'`
		);
		const count = (fn: () => Promise<unknown>) => withQueryCounter(async (c) => (await fn(), c.queries));
		expect(await count(() => searchSites('', 1))).toBe(1);
		expect(await count(() => searchSites('', 40))).toBe(1);
		expect(await count(() => searchSites('collective 4242'))).toBe(1);
		expect(await count(() => searchSites('4242.bulk.example'))).toBe(1);
		const found = await searchSites('4242.bulk');
		expect(found.rows.map((r) => r.slug)).toEqual(['bulk-4242']);
		expect((await searchSites('')).total).toBeGreaterThanOrEqual(5000);
		// Over HTTP: each panel page costs the session lookup plus exactly one query, like the
		// switcher's suggestions (session + one query), whatever the page or search.
		const queriesOf = async (path: string) => {
			const r = await get(hub.origin, path, HUB, { cookie: cookie.super });
			expect(r.status, path).toBe(200);
			return { n: Number(r.headers['x-db-queries']), body: r.body };
		};
		const reference = (await queriesOf('/admin/switch?q=zz&suggest=1')).n;
		for (const path of [
			'/admin',
			'/admin?page=3',
			'/admin?q=Bulk+Collective+123',
			'/admin?q=4242.bulk.example',
			'/admin?q=nothing-matches-this'
		]) {
			expect((await queriesOf(path)).n, path).toBe(reference);
		}
		expect((await queriesOf('/admin?q=Bulk+Collective+123&page=1')).body).toContain('Bulk Collective 1234');
	});
});
