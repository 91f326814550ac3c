/**
 * The pages section over real HTTP, signed in on the site's own host: create, edit, unpublish and
 * delete show on the public site; bad input answers 400 and saves nothing; another site's page
 * ids answer 404 and stay unchanged; people without a role here change nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { auditEvent, page } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createPage, createSite, createUser } from '../support/factories';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('pages section', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let hostB: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let bPage: typeof page.$inferSelect;
	const cookie = {} as Record<'editor' | 'memberOfB' | 'outsider' | 'bOnB' | 'superOnHub', string>;
	const pagesOf = (siteId: string) => db().select().from(page).where(eq(page.siteId, siteId));
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'editor') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Pages' });
		siteB = await createSite({ name: 'Bravo Pages' });
		hostA = `${siteA.slug}.hub.test`;
		hostB = `${siteB.slug}.hub.test`;
		bPage = await createPage(siteB, { title: 'Bravo rules', slug: 'rules', body: 'Bravo only' });
		const editor = await createMember(siteA, 'editor');
		const bOwner = await createMember(siteB, 'owner');
		const outsider = await createUser();
		const superAdmin = await createUser({ name: 'Sue Super' });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: superAdmin.discordId } });
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.memberOfB = await signIn(hub, hostA, bOwner.discordId);
		cookie.outsider = await signIn(hub, hostA, outsider.discordId);
		cookie.bOnB = await signIn(hub, hostB, bOwner.discordId);
		cookie.superOnHub = await signIn(hub, 'hub.test', superAdmin.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('creates a published page at /<slug>, shown in the navigation when asked', async () => {
		const r = await post('/admin/pages/new?/save', {
			title: 'About Us',
			slug: '',
			body: 'We are **Alpha**.',
			published: 'on',
			showInNav: 'on'
		});
		expect(r.status).toBe(303);
		expect(locationOf(r)).toMatch(/^\/admin\/pages\/[0-9a-f-]{36}\?saved=1$/);
		const about = await get(hub.origin, '/about-us', hostA);
		expect(about.status).toBe(200);
		expect(about.body).toContain('<strong>Alpha</strong>');
		const home = await get(hub.origin, '/', hostA);
		expect(home.body).toContain('href="/about-us"');
	});

	it('keeps drafts off the site, and unpublishing takes a page down', async () => {
		expect((await post('/admin/pages/new?/save', { title: 'Secret Plans', body: 'draft', published: '' })).status).toBe(303);
		expect((await get(hub.origin, '/secret-plans', hostA)).status).toBe(404);
		const [about] = await db()
			.select()
			.from(page)
			.where(and(eq(page.siteId, siteA.id), eq(page.slug, 'about-us')));
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
			const r = await post('/admin/pages/new?/save', fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toContain(message);
		}
		expect((await pagesOf(siteA.id)).length).toBe(before);
	});

	it('deletes a page after confirmation', async () => {
		const [secret] = await db()
			.select()
			.from(page)
			.where(and(eq(page.siteId, siteA.id), eq(page.slug, 'secret-plans')));
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
		expect((await post('/admin/pages/new?/save', { title: 'From B', published: 'on' }, 'memberOfB')).status).toBe(403);
		expect(await pagesOf(siteB.id)).toEqual(beforeB);
		expect(await pagesOf(siteA.id)).toEqual(beforeA);
	});
	/** The action's own answer as use:enhance gets it (JSON; fail(n) → type "failure", status n). */
	const enhanced = async (path: string, fields: Record<string, string>, who: keyof typeof cookie | 'anonymous', host = hostA) => {
		const r = await request(hub.origin, path, host, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: `http://${host}`,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				...(who === 'anonymous' ? {} : { cookie: cookie[who] })
			},
			body: new URLSearchParams(fields).toString()
		});
		const json = JSON.parse(r.body) as { type: string; status?: number };
		return { status: json.type === 'failure' || json.type === 'redirect' ? json.status! : r.status, body: r.body };
	};
	const rowOf = async (id: string) => (await db().select().from(page).where(eq(page.id, id)))[0];

	it('edits a page: new title, slug and text show at the new address; leaving the navigation removes it there', async () => {
		const p = await createPage(siteA, { title: 'Visit', slug: 'visit', body: 'Old text', published: true, showInNav: true });
		const r = await post(`/admin/pages/${p.id}?/save`, {
			title: 'Visiting Us',
			slug: 'visiting',
			body: 'Come by on *Tuesdays*.',
			published: 'on'
		});
		expect(r.status).toBe(303);
		expect(locationOf(r)).toBe(`/admin/pages/${p.id}?saved=1`);
		const moved = await get(hub.origin, '/visiting', hostA);
		expect(moved.status).toBe(200);
		expect(moved.body).toContain('<em>Tuesdays</em>');
		expect(moved.body).toContain('Visiting Us');
		expect((await get(hub.origin, '/visit', hostA)).status).toBe(404);
		const home = (await get(hub.origin, '/', hostA)).body;
		expect(home).not.toContain('href="/visiting"');
		expect(home).not.toContain('href="/visit"');
		// A taken slug on edit: 400 next to the field, the row unchanged.
		await createPage(siteA, { title: 'Taken', slug: 'taken' });
		const before = await rowOf(p.id);
		const clash = await post(`/admin/pages/${p.id}?/save`, { title: 'Visiting Us', slug: 'taken', body: 'x', published: 'on' });
		expect(clash.status).toBe(400);
		expect(clash.body).toContain('Another page already uses the address /taken');
		expect(clash.body).toContain('value="taken"');
		expect(await rowOf(p.id)).toEqual(before);
	});

	it('previews the text through the public sanitizer, keeping the input and saving nothing', async () => {
		const before = await pagesOf(siteA.id);
		const r = await post('/admin/pages/new?/preview', { title: 'Draft Preview', body: '## Hi\n\n<img src=x onerror=alert(1)> **bold**' });
		expect(r.status).toBe(200);
		const preview = /<div class="prose[^"]*">([\s\S]*?)<\/div>/.exec(r.body)?.[1] ?? '';
		expect(preview).toContain('<strong>bold</strong>');
		expect(preview).toContain('<h2>Hi</h2>');
		expect(preview).not.toContain('onerror');
		expect(r.body).toContain('value="Draft Preview"');
		const [about] = await db()
			.select()
			.from(page)
			.where(and(eq(page.siteId, siteA.id), eq(page.slug, 'about-us')));
		const onEdit = await post(`/admin/pages/${about!.id}?/preview`, { title: 'About Us', body: '*changed*' });
		expect(onEdit.status).toBe(200);
		expect(onEdit.body).toContain('<em>changed</em>');
		expect(await pagesOf(siteA.id)).toEqual(before);
	});

	it('every action refuses people without a role here, B’s session on A’s host and anonymous visitors, changing nothing', async () => {
		const target = await createPage(siteA, { title: 'Guarded', slug: 'guarded', body: 'Safe', published: true });
		const before = await pagesOf(siteA.id);
		const auditBefore = (await db().select().from(auditEvent)).length;
		const actions: [string, Record<string, string>][] = [
			['/admin/pages/new?/save', { title: 'Intruder page', published: 'on' }],
			['/admin/pages/new?/preview', { body: 'x' }],
			[`/admin/pages/${target.id}?/save`, { title: 'Intruder edit', slug: 'guarded', published: 'on' }],
			[`/admin/pages/${target.id}?/preview`, { body: 'x' }],
			[`/admin/pages/${target.id}?/delete`, { confirm: 'yes' }]
		];
		for (const [path, fields] of actions) {
			for (const who of ['memberOfB', 'outsider'] as const) expect((await enhanced(path, fields, who)).status, `${who} ${path}`).toBe(404);
			expect((await enhanced(path, fields, 'bOnB')).status, `B's cookie ${path}`).toBe(401);
			expect((await enhanced(path, fields, 'anonymous')).status, `anonymous ${path}`).toBe(401);
		}
		expect(await pagesOf(siteA.id)).toEqual(before);
		expect((await db().select().from(auditEvent)).length).toBe(auditBefore);
		expect((await get(hub.origin, '/guarded', hostA)).body).toContain('Safe');
	});

	it('every action on another site’s page id answers 404 and leaves B’s row as it was', async () => {
		const before = await rowOf(bPage.id);
		for (const action of ['save', 'preview', 'delete']) {
			const r = await enhanced(
				`/admin/pages/${bPage.id}?/${action}`,
				{ title: 'Hijacked', slug: 'rules', body: 'x', published: 'on', confirm: 'yes' },
				'editor'
			);
			expect(r.status, action).toBe(404);
			expect(r.body, action).not.toContain('Bravo');
		}
		expect(await rowOf(bPage.id)).toEqual(before);
		expect((await get(hub.origin, '/rules', hostB)).body).toContain('Bravo only');
	});

	it('works from the hub at /sites/<slug>/admin/pages, redirecting within it', async () => {
		const base = `/sites/${siteA.slug}/admin`;
		expect((await get(hub.origin, `${base}/pages`, 'hub.test', { cookie: cookie.superOnHub })).status).toBe(200);
		const r = await postAdminForm(hub.origin, `${base}/pages/new?/save`, 'hub.test', cookie.superOnHub, {
			title: 'Hub Made',
			body: 'From the hub',
			published: 'on'
		});
		expect(r.status).toBe(303);
		expect(locationOf(r)).toMatch(new RegExp(`^${base}/pages/[0-9a-f-]{36}\\?saved=1$`));
		expect((await get(hub.origin, '/hub-made', hostA)).body).toContain('From the hub');
		const [row] = await db()
			.select()
			.from(page)
			.where(and(eq(page.siteId, siteA.id), eq(page.slug, 'hub-made')));
		const del = await postAdminForm(hub.origin, `${base}/pages/${row!.id}?/delete`, 'hub.test', cookie.superOnHub, { confirm: 'yes' });
		expect(locationOf(del)).toBe(`${base}/pages?deleted=1`);
		expect((await get(hub.origin, '/hub-made', hostA)).status).toBe(404);
	});
	it('two editors saving the same new slug at once: one page, the others get the field error (never a 500)', async () => {
		const results = await Promise.all(Array.from({ length: 6 }, () => post('/admin/pages/new?/save', { title: 'Race Page', body: 'x' })));
		expect(results.filter((r) => r.status === 303)).toHaveLength(1);
		expect(results.filter((r) => r.status === 400)).toHaveLength(5);
		for (const r of results.filter((r) => r.status === 400)) expect(r.body).toContain('Another page already uses the address /race-page');
		expect(
			(
				await db()
					.select()
					.from(page)
					.where(and(eq(page.siteId, siteA.id), eq(page.slug, 'race-page')))
			).length
		).toBe(1);
	});
});
