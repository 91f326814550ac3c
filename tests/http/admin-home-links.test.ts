/**
 * Homepage editor and links over real HTTP, signed in on the site's host: saved content shows on
 * the public home page; the preview is sanitized; bad input answers 400 and saves nothing;
 * editors may edit the homepage but not links (403); another site's link ids answer 404.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { home, navLink, socialLink } from '../../src/lib/server/db/schema';
import { addNavLink, listNavLinks } from '../../src/lib/server/queries/links';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('homepage editor and links', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let bLink: typeof navLink.$inferSelect;
	const cookie = {} as Record<'admin' | 'editor' | 'memberOfB', string>;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'admin') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);
	const navOf = (siteId: string) => db().select().from(navLink).where(eq(navLink.siteId, siteId)).orderBy(navLink.position);

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Home' });
		siteB = await createSite({ name: 'Bravo Home' });
		hostA = `${siteA.slug}.hub.test`;
		bLink = await addNavLink(siteB.id, { label: 'Bravo secret link', url: '/bravo' });
		const admin = await createMember(siteA, 'admin');
		const editor = await createMember(siteA, 'editor');
		const bOwner = await createMember(siteB, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.admin = await signIn(hub, hostA, admin.discordId);
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.memberOfB = await signIn(hub, hostA, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('saves the homepage (editors may) and shows it; the preview is sanitized and saves nothing', async () => {
		const r = await post(
			'/admin/homepage?/save',
			{ heroTitle: 'Films under the bridge', heroText: 'Every Friday', intro: 'We **love** films.', showEvents: 'on', showLinks: 'on' },
			'editor'
		);
		expect(r.status).toBe(303);
		const page = await get(hub.origin, '/', hostA);
		expect(page.body).toContain('Films under the bridge');
		expect(page.body).toContain('<strong>love</strong>');

		const preview = await post(
			'/admin/homepage?/preview',
			{ heroTitle: 'Not saved', intro: 'Hi <script>alert(1)</script> [x](javascript:alert(2)) **bold**' },
			'editor'
		);
		expect(preview.status).toBe(200);
		// The rendered preview (the textarea above it keeps the raw input, escaped).
		const rendered = /<div class="prose[^"]*">([\s\S]*?)<\/div>/.exec(preview.body)?.[1] ?? '';
		expect(rendered).toContain('<strong>bold</strong>');
		expect(rendered).not.toContain('<script');
		expect(rendered).not.toContain('javascript:');
		expect(preview.body).not.toContain('<script>alert(1)');
		const [row] = await db().select().from(home).where(eq(home.siteId, siteA.id));
		expect(row!.heroTitle).toBe('Films under the bridge');

		const bad = await post('/admin/homepage?/save', { heroTitle: 'x'.repeat(201), intro: 'kept' }, 'editor');
		expect(bad.status).toBe(400);
		expect(bad.body).toContain('Headline can be at most 200 characters');
		expect((await db().select().from(home).where(eq(home.siteId, siteA.id)))[0]!.heroTitle).toBe('Films under the bridge');
	});

	it('adds, edits, reorders and deletes navigation links, shown in the site menu', async () => {
		expect((await post('/admin/links?/addNav', { label: 'Programme', url: '/events' })).status).toBe(303);
		expect((await post('/admin/links?/addNav', { label: 'Tickets', url: 'https://tickets.example/alpha' })).status).toBe(303);
		let links = await navOf(siteA.id);
		expect(links.map((l) => l.label)).toEqual(['Programme', 'Tickets']);
		expect((await post('/admin/links?/move', { kind: 'nav', id: links[1]!.id, direction: 'up' })).status).toBe(303);
		expect((await navOf(siteA.id)).map((l) => l.label)).toEqual(['Tickets', 'Programme']);
		expect((await post('/admin/links?/updateNav', { id: links[0]!.id, label: 'What’s on', url: '/events' })).status).toBe(303);
		const page = await get(hub.origin, '/', hostA);
		expect(page.body).toContain('What’s on');
		expect(page.body).toContain('https://tickets.example/alpha');
		// Deleting asks to confirm: without the tick nothing goes.
		expect((await post('/admin/links?/delete', { kind: 'nav', id: links[1]!.id })).status).toBe(400);
		expect((await listNavLinks(siteA.id)).map((l) => l.id)).toContain(links[1]!.id);
		expect((await post('/admin/links?/delete', { kind: 'nav', id: links[1]!.id, confirm: 'yes' })).status).toBe(303);
		links = await navOf(siteA.id);
		expect(links.map((l) => l.label)).toEqual(['What’s on']);
	});

	it('adds social links with a platform, an email as mailto:, and refuses bad addresses', async () => {
		expect((await post('/admin/links?/addSocial', { platform: 'mastodon', url: 'https://social.example/@alpha' })).status).toBe(303);
		expect((await post('/admin/links?/addSocial', { platform: 'email', url: 'hello@alpha.example' })).status).toBe(303);
		const social = await db().select().from(socialLink).where(eq(socialLink.siteId, siteA.id));
		expect(social.map((s) => s.url).sort()).toEqual(['https://social.example/@alpha', 'mailto:hello@alpha.example']);
		expect((await get(hub.origin, '/', hostA)).body).toContain('https://social.example/@alpha');

		const before = (await navOf(siteA.id)).length;
		for (const [path, fields, message] of [
			['/admin/links?/addNav', { label: 'Evil', url: 'javascript:alert(1)' }, 'Use a path on this site'],
			['/admin/links?/addNav', { label: 'Evil', url: '//evil.example' }, 'Use a path on this site'],
			['/admin/links?/addNav', { label: '', url: '/x' }, 'Label is required'],
			['/admin/links?/addSocial', { platform: 'myspace', url: 'https://myspace.example' }, 'Choose a platform from the list'],
			['/admin/links?/addSocial', { platform: 'email', url: 'not an email' }, 'Enter an email address']
		] as [string, Fields, string][]) {
			const r = await post(path, fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toContain(message);
		}
		expect((await navOf(siteA.id)).length).toBe(before);
		expect((await db().select().from(socialLink).where(eq(socialLink.siteId, siteA.id))).length).toBe(2);
	});

	it('refuses editors on links (403), other members, and another site’s link ids (404)', async () => {
		const beforeA = await navOf(siteA.id);
		expect((await get(hub.origin, '/admin/links', hostA, { cookie: cookie.editor })).status).toBe(403);
		expect((await post('/admin/links?/addNav', { label: 'By editor', url: '/x' }, 'editor')).status).toBe(403);
		expect((await post('/admin/links?/addNav', { label: 'By B', url: '/x' }, 'memberOfB')).status).toBe(403);
		expect((await post('/admin/homepage?/save', { heroTitle: 'By B' }, 'memberOfB')).status).toBe(403);
		for (const [path, fields] of [
			['/admin/links?/updateNav', { id: bLink.id, label: 'Hijacked', url: '/x' }],
			['/admin/links?/delete', { kind: 'nav', id: bLink.id }],
			['/admin/links?/move', { kind: 'nav', id: bLink.id, direction: 'down' }]
		] as [string, Fields][]) {
			expect((await post(path, fields)).status, path).toBe(404);
		}
		// Not a UUID at all (36 dashes): not found before it reaches the database, never a 500.
		expect((await post('/admin/links?/updateNav', { id: '-'.repeat(36), label: 'X', url: '/x' })).status).toBe(404);
		expect((await post('/admin/links?/delete', { kind: 'nav', id: '-'.repeat(36) })).status).toBe(404);
		expect(await navOf(siteB.id)).toEqual([bLink]);
		expect(await navOf(siteA.id)).toEqual(beforeA);
		expect((await get(hub.origin, '/admin/links', hostA, { cookie: cookie.admin })).body).not.toContain('Bravo secret link');
	});
});
