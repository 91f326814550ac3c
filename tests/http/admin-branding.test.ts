/**
 * Branding and settings, the actions admin-site.test.ts does not cover: background image, removing
 * logo and background, the server-side contrast fix, and every action refused for an editor, a
 * signed-in person with no role, and another site's owner (nothing changes on either site).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, site } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite, createUser } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { file, png } from '../support/images';
import { postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('branding images, contrast and refusals', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	const hostA = 'branding-a.example';
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const cookie = {} as Record<'admin' | 'editor' | 'outsider' | 'bOwner', string>;
	const row = async (id: string) => (await db().select().from(site).where(eq(site.id, id)))[0]!;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'admin') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);
	const assetsOf = async (id: string) => (await db().select().from(asset).where(eq(asset.siteId, id))).length;

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Branding', slug: 'alpha-branding' });
		siteB = await createSite({ name: 'Bravo Branding', slug: 'bravo-branding' });
		await setPrimaryDomain(siteA.id, (await createDomain(siteA.id, hostA, true)).id);
		const admin = await createMember(siteA, 'admin');
		const editor = await createMember(siteA, 'editor');
		const bOwner = await createMember(siteB, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.admin = await signIn(hub, hostA, admin.discordId);
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.outsider = await signIn(hub, hostA, (await createUser({ name: 'No Role' })).discordId);
		cookie.bOwner = await signIn(hub, hostA, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('uploads a background shown on the public site, refuses a bad file, and removes both images', async () => {
		const bad = await post('/admin/branding?/background', { background: file('not an image at all', 'bg.png', 'image/png') });
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.status).toBeLessThan(500);
		expect((await row(siteA.id)).backgroundAssetId).toBeNull();
		expect(await assetsOf(siteA.id)).toBe(0);

		expect((await post('/admin/branding?/background', { background: file(await png(1600, 900), 'bg.png', 'image/png') })).status).toBe(303);
		expect(
			(await post('/admin/branding?/logo', { logo: file(await png(400, 400), 'logo.png', 'image/png'), logoAlt: 'Alpha' })).status
		).toBe(303);
		const a = await row(siteA.id);
		const [bg] = await db().select().from(asset).where(eq(asset.id, a.backgroundAssetId!));
		const [logo] = await db().select().from(asset).where(eq(asset.id, a.logoAssetId!));
		const page = (await get(hub.origin, '/', hostA)).body;
		expect(page).toContain(bg!.cdnKey);
		expect(page).toContain(logo!.cdnKey);
		// The admin page previews the current images.
		expect((await get(hub.origin, '/admin/branding', hostA, { cookie: cookie.admin })).body).toContain(bg!.cdnKey);

		expect((await post('/admin/branding?/removeBackground', {})).status).toBe(303);
		expect((await post('/admin/branding?/removeLogo', {})).status).toBe(303);
		const after = await row(siteA.id);
		expect([after.logoAssetId, after.backgroundAssetId]).toEqual([null, null]);
		const page2 = (await get(hub.origin, '/', hostA)).body;
		expect(page2).not.toContain(bg!.cdnKey);
		expect(page2).not.toContain(logo!.cdnKey);
	});

	it('keeps text readable: a text colour failing WCAG AA is replaced on the site', async () => {
		const saved = await post('/admin/branding?/save', {
			mode: 'light',
			accent: '#1d4ed8',
			background: '#ffffff',
			text: '#eeeeee',
			bodyFont: 'system',
			headingFont: 'system'
		});
		expect(saved.status).toBe(303);
		const page = (await get(hub.origin, '/', hostA)).body;
		expect(page).toContain('--bg:#ffffff');
		expect(page).not.toContain('--text:#eeeeee');
		expect(page).toMatch(/--text:#(000000|111111|1[0-9a-f]{5}|[0-3][0-9a-f]{5})/);
		// Invalid mode and font: 400, nothing saved.
		const before = await row(siteA.id);
		for (const fields of [
			{ mode: 'sepia', accent: '#1d4ed8', background: '', text: '', bodyFont: 'system', headingFont: 'system' },
			{ mode: 'dark', accent: '#1d4ed8', background: '', text: '', bodyFont: 'comic-sans', headingFont: 'system' }
		]) {
			const r = await post('/admin/branding?/save', fields);
			expect(r.status).toBe(400);
		}
		expect(await row(siteA.id)).toEqual(before);
	});

	it('refuses every action to an editor (403), a person with no role and another site’s owner; nothing changes', async () => {
		const beforeA = await row(siteA.id);
		const beforeB = await row(siteB.id);
		const assets = await assetsOf(siteA.id);
		const image = async () => file(await png(300, 300), 'x.png', 'image/png');
		const attempts: [string, Fields][] = [
			['/admin/branding?/save', { mode: 'dark', accent: '#000000', background: '', text: '', bodyFont: 'system', headingFont: 'system' }],
			['/admin/branding?/logo', { logo: await image() }],
			['/admin/branding?/background', { background: await image() }],
			['/admin/branding?/removeLogo', {}],
			['/admin/branding?/removeBackground', {}],
			['/admin/settings?/save', { name: 'Hijacked', tagline: '', description: '', timezone: 'UTC', contactEmail: '' }],
			['/admin/settings?/slug', { slug: 'hijacked' }]
		];
		const statuses: Record<string, number[]> = {};
		for (const who of ['editor', 'outsider', 'bOwner'] as const) {
			statuses[who] = [];
			for (const [path, fields] of attempts) statuses[who].push((await post(path, fields, who)).status);
			for (const page of ['/admin/branding', '/admin/settings'])
				statuses[who].push((await get(hub.origin, page, hostA, { cookie: cookie[who] })).status);
		}
		// The admin answers 403 to anyone signed in without a role that allows the action (the layout's rule).
		for (const who of ['editor', 'outsider', 'bOwner']) expect(statuses[who], who).toEqual(Array(attempts.length + 2).fill(403));
		expect(await row(siteA.id)).toEqual(beforeA);
		expect(await row(siteB.id)).toEqual(beforeB);
		expect(await assetsOf(siteA.id)).toBe(assets);
	});
});
