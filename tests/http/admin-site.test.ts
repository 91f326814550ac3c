/**
 * Settings and branding over real HTTP, signed in on the site's custom domain: valid changes show
 * on the public site at once (name, tagline, colour, logo); bad input answers 400 with field
 * errors and changes nothing; editors and members of another site are refused; the other site
 * never changes. The slug change moves the platform subdomain and refuses reserved or taken names.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, site } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { file, png } from '../support/images';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('settings and branding', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	const hostA = 'settings-a.example';
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const cookie = {} as Record<'admin' | 'editor' | 'memberOfB', string>;
	const row = async (id: string) => (await db().select().from(site).where(eq(site.id, id)))[0]!;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'admin') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);
	const settings = (overrides: Fields = {}): Fields => ({
		name: 'Alpha Renamed',
		tagline: 'Now with more films',
		description: 'A film club.',
		timezone: 'Europe/Lisbon',
		contactEmail: 'hello@alpha.example',
		...overrides
	});
	const theme = (overrides: Fields = {}): Fields => ({
		mode: 'light',
		accent: '#1d4ed8',
		background: '',
		text: '',
		bodyFont: 'serif',
		headingFont: 'didone',
		...overrides
	});

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Settings', slug: 'alpha-settings' });
		siteB = await createSite({ name: 'Bravo Settings', slug: 'bravo-settings', theme: { accent: '#00aa00' } });
		await setPrimaryDomain(siteA.id, (await createDomain(siteA.id, hostA, true)).id);
		const admin = await createMember(siteA, 'admin');
		const editor = await createMember(siteA, 'editor');
		const bOwner = await createMember(siteB, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.admin = await signIn(hub, hostA, admin.discordId);
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.memberOfB = await signIn(hub, hostA, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('saves settings and shows them on the public site', async () => {
		const r = await post('/admin/settings?/save', settings());
		expect(r.status).toBe(303);
		expect(locationOf(r)).toBe('/admin/settings?saved=1');
		const a = await row(siteA.id);
		expect([a.name, a.tagline, a.timezone, a.contactEmail]).toEqual([
			'Alpha Renamed',
			'Now with more films',
			'Europe/Lisbon',
			'hello@alpha.example'
		]);
		const home = await get(hub.origin, '/', hostA);
		expect(home.body).toContain('<title>Alpha Renamed');
		expect(home.body).toContain('Now with more films');
	});

	it('answers bad settings with 400 and field errors, changing nothing', async () => {
		const before = await row(siteA.id);
		for (const [fields, message] of [
			[settings({ name: '' }), 'Name is required'],
			[settings({ timezone: 'Mars/Olympus_Mons' }), 'Choose a timezone from the list'],
			[settings({ contactEmail: 'not-an-email' }), 'Enter an email address'],
			[settings({ tagline: 'x'.repeat(201) }), 'Tagline can be at most 200 characters']
		] as [Fields, string][]) {
			const r = await post('/admin/settings?/save', fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toContain(message);
		}
		expect(await row(siteA.id)).toEqual(before);
	});

	it('saves colours and fonts and shows them in the public CSS; refuses a bad colour', async () => {
		expect((await post('/admin/branding?/save', theme())).status).toBe(303);
		const home = await get(hub.origin, '/', hostA);
		expect(home.body).toContain('--accent:#1d4ed8');
		const bad = await post('/admin/branding?/save', theme({ accent: 'red; background:url(x)' }));
		expect(bad.status).toBe(400);
		expect(bad.body).toContain('Accent colour: use a colour like #1a2b3c');
		expect((await row(siteA.id)).theme).toMatchObject({ accent: '#1d4ed8', bodyFont: 'serif' });
	});

	it('uploads a logo shown on the public site, and refuses a file that is not an image', async () => {
		const ok = await post('/admin/branding?/logo', { logo: file(await png(600, 600), 'logo.png', 'image/png'), logoAlt: 'Alpha logo' });
		expect(ok.status).toBe(303);
		const a = await row(siteA.id);
		const [logo] = await db().select().from(asset).where(eq(asset.id, a.logoAssetId!));
		expect(logo!.siteId).toBe(siteA.id);
		expect((await get(hub.origin, '/', hostA)).body).toContain(logo!.cdnKey);

		const assets = (await db().select().from(asset).where(eq(asset.siteId, siteA.id))).length;
		const bad = await post('/admin/branding?/logo', { logo: file('<svg onload="alert(1)"/>', 'logo.svg', 'image/svg+xml') });
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.status).toBeLessThan(500);
		expect((await db().select().from(asset).where(eq(asset.siteId, siteA.id))).length).toBe(assets);
		expect((await row(siteA.id)).logoAssetId).toBe(a.logoAssetId);
	});

	it('changes the slug: the new subdomain serves the site, the old one redirects; reserved and taken names refused', async () => {
		expect((await post('/admin/settings?/slug', { slug: 'admin' })).status).toBe(400);
		const taken = await post('/admin/settings?/slug', { slug: 'bravo-settings' });
		expect(taken.status).toBe(400);
		expect(taken.body).toContain('That address is taken');
		expect((await row(siteA.id)).slug).toBe('alpha-settings');

		const r = await post('/admin/settings?/slug', { slug: 'alpha-moved' });
		expect(r.status).toBe(303);
		expect((await row(siteA.id)).slug).toBe('alpha-moved');
		expect((await get(hub.origin, '/', 'alpha-moved.hub.test')).status).toBe(301); // to the primary custom domain
		expect((await get(hub.origin, '/', 'alpha-settings.hub.test')).status).toBe(301); // grace period: see admin-settings.test.ts
	});

	it('refuses editors (403) and members of another site, and never touches the other site', async () => {
		const beforeA = await row(siteA.id);
		const beforeB = await row(siteB.id);
		expect((await get(hub.origin, '/admin/settings', hostA, { cookie: cookie.editor })).status).toBe(403);
		expect((await post('/admin/settings?/save', settings({ name: 'By editor' }), 'editor')).status).toBe(403);
		expect((await post('/admin/branding?/save', theme({ accent: '#000000' }), 'editor')).status).toBe(403);
		expect((await post('/admin/settings?/slug', { slug: 'editor-slug' }, 'editor')).status).toBe(403);
		expect((await post('/admin/settings?/save', settings({ name: 'By B' }), 'memberOfB')).status).toBe(403);
		expect((await post('/admin/branding?/save', theme({ accent: '#000000' }), 'memberOfB')).status).toBe(403);
		expect(await row(siteA.id)).toEqual(beforeA);
		expect(await row(siteB.id)).toEqual(beforeB);
		expect((await row(siteB.id)).name).toBe('Bravo Settings');
	});
});
