/**
 * Revisions and drafts over real HTTP on the site's own host: saves make versions, the history
 * screen shows who and what changed, "restore this version" puts it back on the public page and
 * is itself a new version; another site's revisions and drafts are never listed or restorable,
 * by page id or by revision id; autosave answers the enhanced-form protocol and refuses
 * cross-site posts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { draft, eventSeries, page, revision } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { actorOn, createMember, createSite } from '../support/factories';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { actionAnswer, locationOf, postAdminForm } from '../support/admin-forms';
import { savePage } from '../../src/lib/server/services/pages';
import { saveSeries } from '../../src/lib/server/services/series';

describe.runIf(inject('templateDatabase'))('revisions and drafts over HTTP', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let bPageId: string;
	let bRevisionId: string;
	let bSeriesId: string;
	let bSeriesRevisionId: string;
	let cookie: string;

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha History' });
		const siteB = await createSite({ name: 'Bravo History' });
		hostA = `${siteA.slug}.hub.test`;
		const bOwner = await createMember(siteB, 'owner', { name: 'MARKERB owner' });
		const bPage = await savePage(await actorOn(siteB, bOwner, 'owner'), null, {
			title: 'MARKERB page',
			body: 'MARKERB text',
			intent: 'publish'
		});
		bPageId = bPage.id;
		bRevisionId = (await db().select().from(revision).where(eq(revision.targetId, bPage.id)))[0]!.id;
		const bSeries = await saveSeries(await actorOn(siteB, bOwner, 'owner'), null, {
			title: 'MARKERB series',
			startDate: '2031-01-03',
			startTime: '19:00',
			repeat: 'weekly',
			repeatWeekdays: 'FR',
			intent: 'publish'
		});
		bSeriesId = bSeries.id;
		bSeriesRevisionId = (await db().select().from(revision).where(eq(revision.targetId, bSeries.id)))[0]!.id;
		const editor = await createMember(siteA, 'editor', { name: 'Erin Editor' });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie = await signIn(hub, hostA, editor.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	const post = (path: string, fields: Record<string, string>) => postAdminForm(hub.origin, path, hostA, cookie, fields);
	const admin = (path: string) => request(hub.origin, path, hostA, { headers: { cookie, accept: 'text/html' } });

	it('saves make versions; restoring one shows on the public page and is a new version', async () => {
		const created = await post('/admin/pages/new?/save', { title: 'Rules', slug: 'rules', body: 'Be **kind**.', intent: 'publish' });
		const id = /pages\/([0-9a-f-]{36})/.exec(locationOf(created))![1]!;
		expect((await post(`/admin/pages/${id}?/save`, { title: 'Rules', slug: 'rules', body: 'Be **quick**.', published: 'on' })).status).toBe(
			303
		);
		expect((await get(hub.origin, '/rules', hostA)).body).toContain('<strong>quick</strong>');

		const history = await admin(`/admin/pages/${id}/revisions`);
		expect(history.status).toBe(200);
		expect(history.body).toContain('Saved by Erin Editor');
		expect(history.body).toMatch(
			/<del[^>]*><span class="visually-hidden">\[removed:<\/span>kind<span class="visually-hidden">]<\/span><\/del>/
		);
		expect(history.body).toMatch(/<ins[^>]*><span class="visually-hidden">\[added:<\/span>quick/);

		const versions = await db().select().from(revision).where(eq(revision.targetId, id)).orderBy(revision.createdAt);
		expect(versions).toHaveLength(2);
		const restore = await post(`/admin/pages/${id}/revisions?/restore`, { id: versions[0]!.id });
		expect(restore.status).toBe(303);
		expect(locationOf(restore)).toMatch(new RegExp(`/admin/pages/${id}/revisions\\?rev=[0-9a-f-]{36}&restored=1$`));
		expect((await get(hub.origin, '/rules', hostA)).body).toContain('<strong>kind</strong>');
		expect(await db().select().from(revision).where(eq(revision.targetId, id))).toHaveLength(3);
	});

	it('another site’s revisions are never listed or restorable, by page id or by revision id', async () => {
		expect((await admin(`/admin/pages/${bPageId}/revisions`)).status).toBe(404);
		expect((await post(`/admin/pages/${bPageId}/revisions?/restore`, { id: bRevisionId })).status).toBe(404);
		const [own] = await db()
			.select()
			.from(page)
			.where(and(eq(page.siteId, siteA.id), eq(page.slug, 'rules')));
		const r = await post(`/admin/pages/${own!.id}/revisions?/restore`, { id: bRevisionId });
		expect(r.status).toBe(404);
		expect(r.body).not.toContain('MARKERB');
		const home = await post('/admin/homepage/revisions?/restore', { id: bRevisionId });
		expect(home.status).toBe(404);
		const list = await admin(`/admin/pages/${own!.id}/revisions?rev=${bRevisionId}`);
		expect(list.status).toBe(200);
		expect(list.body).not.toContain('MARKERB');
		expect((await db().select().from(page).where(eq(page.id, bPageId)))[0]!.body).toBe('MARKERB text');
	});

	it('a series keeps versions too: its history over HTTP, a restore; another site’s series history is never listed or restorable', async () => {
		const fields = {
			title: 'Quiz night',
			slug: 'quiz-night',
			startDate: '2031-01-01',
			startTime: '20:00',
			repeat: 'weekly',
			repeatWeekdays: 'WE',
			intent: 'publish'
		};
		const created = await post('/admin/events/new?/save', fields);
		const id = /series\/([0-9a-f-]{36})/.exec(locationOf(created))![1]!;
		expect((await post(`/admin/events/series/${id}?/save`, { ...fields, title: 'Pub quiz', intent: 'save' })).status).toBe(303);
		const editorPage = await admin(`/admin/events/series/${id}`);
		expect(editorPage.body).toContain(`/admin/events/series/${id}/revisions`);
		const history = await admin(`/admin/events/series/${id}/revisions`);
		expect(history.status).toBe(200);
		expect(history.body).toContain('Saved by Erin Editor');
		expect(history.body).toMatch(/<ins[^>]*><span class="visually-hidden">\[added:<\/span>Pub/);
		const versions = await db().select().from(revision).where(eq(revision.targetId, id)).orderBy(revision.createdAt);
		expect(versions).toHaveLength(2);
		const restore = await post(`/admin/events/series/${id}/revisions?/restore`, { id: versions[0]!.id });
		expect(restore.status).toBe(303);
		expect(locationOf(restore)).toMatch(new RegExp(`/admin/events/series/${id}/revisions\\?restored=1$`));
		expect((await db().select().from(eventSeries).where(eq(eventSeries.id, id)))[0]!.title).toBe('Quiz night');
		expect(await db().select().from(revision).where(eq(revision.targetId, id))).toHaveLength(3);

		// B's series: its history is not found, its revision cannot be restored, not even onto A's own series.
		expect((await admin(`/admin/events/series/${bSeriesId}/revisions`)).status).toBe(404);
		expect((await post(`/admin/events/series/${bSeriesId}/revisions?/restore`, { id: bSeriesRevisionId })).status).toBe(404);
		const onOwn = await post(`/admin/events/series/${id}/revisions?/restore`, { id: bSeriesRevisionId });
		expect(onOwn.status).toBe(404);
		expect(onOwn.body).not.toContain('MARKERB');
		const listed = await admin(`/admin/events/series/${id}/revisions?rev=${bSeriesRevisionId}`);
		expect(listed.status).toBe(200);
		expect(listed.body).not.toContain('MARKERB');
		expect((await actionAnswer(hub.origin, '/admin/drafts?/save', hostA, cookie, { key: `series:${bSeriesId}`, title: 'x' })).status).toBe(
			404
		);
		expect((await db().select().from(eventSeries).where(eq(eventSeries.id, bSeriesId)))[0]!.title).toBe('MARKERB series');
		expect(await db().select().from(revision).where(eq(revision.targetId, bSeriesId))).toHaveLength(1);
	});

	it('autosaves a draft through the enhanced-form protocol, per person; cross-site posts are refused', async () => {
		const saved = await actionAnswer(hub.origin, '/admin/drafts?/save', hostA, cookie, { key: 'page:new', title: 'Half', body: 'Typing…' });
		expect(saved.status).toBe(200);
		const found = await actionAnswer(hub.origin, '/admin/drafts?/find', hostA, cookie, { key: 'page:new' });
		expect(found.body).toContain('Typing…');
		expect((await admin('/admin/drafts')).body).toContain('Half');
		// Another site's page as the key: not found, nothing stored.
		const foreign = await actionAnswer(hub.origin, '/admin/drafts?/save', hostA, cookie, { key: `page:${bPageId}`, body: 'x' });
		expect(foreign.status).toBe(404);
		const forged = await request(hub.origin, '/admin/drafts?/save', hostA, {
			method: 'POST',
			headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: 'key=page%3Anew&body=evil'
		});
		expect(forged.status).toBe(403);
		const rows = await db().select().from(draft).where(eq(draft.siteId, siteA.id));
		expect(rows.map((r) => r.data.body)).toEqual(['Typing…']);
		await actionAnswer(hub.origin, '/admin/drafts?/discard', hostA, cookie, { key: 'page:new' });
		expect(await db().select().from(draft).where(eq(draft.siteId, siteA.id))).toEqual([]);
	});
});
