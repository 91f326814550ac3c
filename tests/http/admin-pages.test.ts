/**
 * The pages section over real HTTP, signed in on the site's own host: create, edit, unpublish and
 * delete show on the public site; bad input answers 400 and saves nothing; another site's page
 * ids answer 404 and stay unchanged; people without a role here change nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { page } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createPage, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('pages section', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let bPage: typeof page.$inferSelect;
	const cookie = {} as Record<'editor' | 'memberOfB', string>;
	const pagesOf = (siteId: string) => db().select().from(page).where(eq(page.siteId, siteId));
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'editor') => postAdminForm(hub.origin, path, hostA, cookie[who], fields);

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Pages' });
		siteB = await createSite({ name: 'Bravo Pages' });
		hostA = `${siteA.slug}.hub.test`;
		bPage = await createPage(siteB, { title: 'Bravo rules', slug: 'rules', body: 'Bravo only' });
		const editor = await createMember(siteA, 'editor');
		const bOwner = await createMember(siteB, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.memberOfB = await signIn(hub, hostA, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('creates a published page at /<slug>, shown in the navigation when asked', async () => {
		const r = await post('/admin/pages/new', { title: 'About Us', slug: '', body: 'We are **Alpha**.', published: 'on', showInNav: 'on' });
		expect(r.status).toBe(303);
		expect(locationOf(r)).toMatch(/^\/admin\/pages\/[0-9a-f-]{36}\?saved=1$/);
		const about = await get(hub.origin, '/about-us', hostA);
		expect(about.status).toBe(200);
		expect(about.body).toContain('<strong>Alpha</strong>');
		const home = await get(hub.origin, '/', hostA);
		expect(home.body).toContain('href="/about-us"');
	});

	it('keeps drafts off the site, and unpublishing takes a page down', async () => {
		expect((await post('/admin/pages/new', { title: 'Secret Plans', body: 'draft', published: '' })).status).toBe(303);
		expect((await get(hub.origin, '/secret-plans', hostA)).status).toBe(404);
		const [about] = await db().select().from(page).where(and(eq(page.siteId, siteA.id), eq(page.slug, 'about-us')));
		const r = await post(`/admin/pages/${about!.id}?/save`, { title: 'About Us', slug: 'about-us', body: 'Hidden now' });
		expect(r.status).toBe(303);
		expect((await get(hub.origin, '/about-us', hostA)).status).toBe(404);
	});

	it('answers bad input with 400 and field errors, saving nothing', async () => {
		const before = (await pagesOf(siteA.id)).length;
		for (const [fields, message] of [
			[{ title: '', body: 'x' }, 'Title is required'],
			[{ title: 'Events', slug: 'events' }, '/events is used by the site itself'],
			[{ title: 'Copy', slug: 'about-us' }, 'Another page already uses the address /about-us'],
			[{ title: 'Bad', slug: '../admin' }, 'lowercase letters']
		] as [Fields, string][]) {
			const r = await post('/admin/pages/new', fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toContain(message);
		}
		expect((await pagesOf(siteA.id)).length).toBe(before);
	});

	it('deletes a page after confirmation', async () => {
		const [secret] = await db().select().from(page).where(and(eq(page.siteId, siteA.id), eq(page.slug, 'secret-plans')));
		expect((await post(`/admin/pages/${secret!.id}?/delete`, {})).status).toBe(400);
		const r = await post(`/admin/pages/${secret!.id}?/delete`, { confirm: 'yes' });
		expect(r.status).toBe(303);
		expect((await pagesOf(siteA.id)).some((p) => p.id === secret!.id)).toBe(false);
	});

	it('refuses another site’s page ids and people without a role here, changing nothing', async () => {
		const beforeB = await pagesOf(siteB.id);
		const beforeA = await pagesOf(siteA.id);
		expect((await post(`/admin/pages/${bPage.id}?/save`, { title: 'Hijacked', slug: 'rules', published: 'on' })).status).toBe(404);
		expect((await post(`/admin/pages/${bPage.id}?/delete`, { confirm: 'yes' })).status).toBe(404);
		expect((await get(hub.origin, `/admin/pages/${bPage.id}`, hostA, { cookie: cookie.editor })).status).toBe(404);
		expect((await get(hub.origin, '/admin/pages', hostA, { cookie: cookie.editor })).body).not.toContain('Bravo rules');
		expect((await post('/admin/pages/new', { title: 'From B', published: 'on' }, 'memberOfB')).status).toBe(403);
		expect(await pagesOf(siteB.id)).toEqual(beforeB);
		expect(await pagesOf(siteA.id)).toEqual(beforeA);
	});
});
