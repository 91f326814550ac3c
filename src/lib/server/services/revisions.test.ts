/**
 * Revisions and autosaved drafts through the services, on PostgreSQL and on PGlite: every save
 * keeps a version (the last 30; pages, events, series, the homepage), restoring one is itself a
 * new version and audited (a series' dates follow its restored template), a draft
 * belongs to one person and ends with the real save, and another site can neither list nor
 * restore any of it (by id), even from a query that forgets its site filter (row-level security).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { db, siteRead } from '../db';
import { auditEvent, draft, revision } from '../db/schema';
import type { SiteActor } from './actor';
import { savePage } from './pages';
import { saveEvent } from './events';
import { updateHome } from './home';
import { restoreSeriesRevision, saveSeries } from './series';
import { listOccurrences } from '../queries/events';
import { setBackgroundFocus } from './focal';
import { asset, site } from '../db/schema';
import {
	diffRevisions,
	discardDraft,
	draftFor,
	draftsForAdmin,
	restoreRevision,
	revisionsFor,
	saveDraft,
	REVISIONS_KEPT
} from './revisions';

for (const kind of databaseKinds()) {
	describe(`revisions and drafts on ${kind}`, () => {
		useTestDatabase(kind);
		let editor: SiteActor;
		let colleague: SiteActor;
		let other: SiteActor;

		beforeAll(async () => {
			const A = await f.createSite({ slug: `rev-a-${kind}` });
			const B = await f.createSite({ slug: `rev-b-${kind}` });
			editor = await f.actorOn(A, await f.createMember(A, 'editor', { name: 'Ed Itor' }), 'editor');
			colleague = await f.actorOn(A, await f.createMember(A, 'editor', { name: 'Col League' }), 'editor');
			other = await f.actorOn(B, await f.createMember(B, 'owner'), 'owner');
		}, 60_000);

		it('keeps the last 30 saves of a page, newest first, with who saved them', async () => {
			let page = await savePage(editor, null, { title: 'About', body: 'Version 0', intent: 'publish' });
			for (let i = 1; i <= REVISIONS_KEPT + 4; i++)
				page = await savePage(i % 2 ? colleague : editor, page.id, { title: 'About', body: `Version ${i}` });
			const history = await revisionsFor(editor, 'page', page.id);
			expect(history.revisions).toHaveLength(REVISIONS_KEPT);
			expect(history.selected!.data.body).toBe(`Version ${REVISIONS_KEPT + 4}`);
			expect(history.revisions[0]!.current).toBe(true);
			expect(history.revisions[0]!.authorName).toBe('Ed Itor');
			expect(history.revisions[1]!.authorName).toBe('Col League');
			// The oldest kept is save number 5 (saves 0–4 were dropped).
			const oldest = await revisionsFor(editor, 'page', page.id, history.revisions.at(-1)!.id);
			expect(oldest.selected!.data.body).toBe('Version 5');
			expect(oldest.selected!.first).toBe(true);
			const rows = await db().select().from(revision).where(eq(revision.targetId, page.id));
			expect(rows).toHaveLength(REVISIONS_KEPT);
		});

		it('shows what a version changed, word by word', async () => {
			const page = await savePage(editor, null, { title: 'Diff me', body: 'We meet on Friday.', intent: 'publish' });
			await savePage(editor, page.id, { title: 'Diff me', body: 'We meet on Saturday.', published: 'on' });
			const history = await revisionsFor(editor, 'page', page.id);
			const body = history.selected!.changes.find((c) => c.field === 'body')!;
			expect(body.parts.filter((p) => p.removed).map((p) => p.value.trim())).toEqual(['Friday']);
			expect(body.parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(['Saturday']);
			expect(history.selected!.changes.map((c) => c.field)).toEqual(['body']);
			expect(
				diffRevisions('home', null, { heroTitle: 'Hi', heroText: '', intro: '', showEvents: true, showLinks: false }).map((c) => c.field)
			).toEqual(['heroTitle', 'showEvents', 'showLinks']);
		});

		it('restores a page version: the page has its content again, as a new revision, audited', async () => {
			const page = await savePage(editor, null, { title: 'Code of conduct', body: 'Be kind.', intent: 'publish' });
			await savePage(editor, page.id, { title: 'Code of conduct (new)', body: 'Be very kind.' });
			const before = await revisionsFor(editor, 'page', page.id);
			const first = before.revisions.at(-1)!;
			const restored = await restoreRevision(colleague, 'page', page.id, { id: first.id });
			expect(restored.restoredFrom).toBe(first.id);
			const after = await revisionsFor(editor, 'page', page.id);
			expect(after.revisions).toHaveLength(3);
			expect(after.revisions[0]!.id).toBe(restored.id);
			expect(after.revisions[0]!.authorName).toBe('Col League');
			expect(after.selected!.data).toMatchObject({ title: 'Code of conduct', body: 'Be kind.' });
			const stored = await revisionsFor(editor, 'page', page.id);
			expect(stored.title).toBe('Code of conduct');
			const audits = await db()
				.select()
				.from(auditEvent)
				.where(and(eq(auditEvent.action, 'page.revision_restore'), eq(auditEvent.targetId, page.id)));
			expect(audits).toHaveLength(1);
		});

		it('restores an event and the homepage too', async () => {
			const ev = await saveEvent(editor, null, {
				title: 'Quiz',
				startDate: '2031-05-01',
				startTime: '19:00',
				venueName: 'Hall',
				intent: 'publish'
			});
			await saveEvent(editor, ev.id, { title: 'Quiz night', startDate: '2031-05-02', startTime: '20:00', venueName: 'Pub' });
			const evHistory = await revisionsFor(editor, 'event', ev.id);
			expect(evHistory.selected!.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['title', 'startsAt', 'venueName']));
			await restoreRevision(editor, 'event', ev.id, { id: evHistory.revisions.at(-1)!.id });
			const evAfter = await revisionsFor(editor, 'event', ev.id);
			expect(evAfter.title).toBe('Quiz');
			expect(evAfter.selected!.data.startsAt).toBe(ev.startsAt.toISOString());

			await updateHome(editor, { heroTitle: 'Welcome', intro: 'First', showEvents: 'on' });
			await updateHome(editor, { heroTitle: 'Hello', intro: 'Second' });
			const home = await revisionsFor(editor, 'home', null);
			expect(home.revisions).toHaveLength(2);
			await restoreRevision(editor, 'home', null, { id: home.revisions[1]!.id });
			const homeAfter = await revisionsFor(editor, 'home', null);
			expect(homeAfter.title).toBe('Welcome');
			expect(homeAfter.selected!.data).toMatchObject({ intro: 'First', showEvents: true, showLinks: false });
		});

		it('keeps series versions; the diff reads the rule in words; a restore brings the dates back, as a new revision, audited', async () => {
			const now = new Date('2031-03-01T12:00:00Z');
			const form = {
				title: 'Film club',
				slug: 'film-club',
				startDate: '2031-03-07',
				startTime: '19:00',
				endTime: '22:00',
				repeat: 'weekly',
				repeatWeekdays: 'FR',
				venueName: 'Back room',
				intent: 'publish'
			};
			const series = await saveSeries(editor, null, form, now);
			await saveSeries(colleague, series.id, { ...form, title: 'Film club (Saturdays)', repeatWeekdays: 'SA', intent: 'save' }, now);
			const history = await revisionsFor(editor, 'series', series.id);
			expect(history.revisions.map((r) => r.authorName)).toEqual(['Col League', 'Ed Itor']);
			const rule = history.selected!.changes.find((c) => c.field === 'rrule')!;
			expect(rule.parts.find((p) => p.removed)!.value).toMatch(/Friday/);
			expect(rule.parts.find((p) => p.added)!.value).toMatch(/Saturday/);
			expect(history.selected!.changes.map((c) => c.field)).toEqual(['title', 'rrule']);

			const restored = await restoreSeriesRevision(colleague, series.id, { id: history.revisions[1]!.id }, now);
			expect([restored.title, restored.rrule, restored.status]).toEqual(['Film club', 'FREQ=WEEKLY;BYDAY=FR', 'published']);
			const dates = await siteRead(editor.site.id, () => listOccurrences(editor.site.id, series.id));
			expect(new Set(dates.map((d) => d.startsAt.getUTCDay()))).toEqual(new Set([5]));
			const after = await revisionsFor(editor, 'series', series.id);
			expect(after.revisions).toHaveLength(3);
			expect(after.revisions[0]!.restoredFrom).toBe(history.revisions[1]!.id);
			const audits = await db()
				.select()
				.from(auditEvent)
				.where(and(eq(auditEvent.action, 'series.revision_restore'), eq(auditEvent.targetId, series.id)));
			expect(audits).toHaveLength(1);

			// Autosave of the series editor: per person, ended by the real save.
			await saveDraft(editor, { key: `series:${series.id}`, title: 'Film club typing' });
			expect((await draftFor(editor, { key: `series:${series.id}` }))!.data.title).toBe('Film club typing');
			expect(await status(saveDraft(other, { key: `series:${series.id}`, title: 'x' }))).toBe(404);
			expect(await status(saveDraft(editor, { key: 'series:new', title: 'x' }))).toBe(400);
			await saveSeries(editor, series.id, { ...form, intent: 'save' }, now);
			expect(await draftFor(editor, { key: `series:${series.id}` })).toBeNull();

			// Another site: never listed, never restorable; nor onto another series of the same site.
			expect(await status(revisionsFor(other, 'series', series.id))).toBe(404);
			expect(await status(restoreSeriesRevision(other, series.id, { id: history.revisions[1]!.id }, now))).toBe(404);
			const second = await saveSeries(editor, null, { ...form, title: 'Other club', slug: 'other-club' }, now);
			expect(await status(restoreSeriesRevision(editor, second.id, { id: history.revisions[1]!.id }, now))).toBe(404);
		});

		it('another site can neither list nor restore a revision, by page id or by revision id', async () => {
			const page = await savePage(editor, null, { title: 'Secret plans', body: 'Only for A.', intent: 'publish' });
			await savePage(editor, page.id, { title: 'Secret plans', body: 'Changed.' });
			const history = await revisionsFor(editor, 'page', page.id);
			expect(await status(revisionsFor(other, 'page', page.id))).toBe(404);
			expect(await status(restoreRevision(other, 'page', page.id, { id: history.revisions[1]!.id }))).toBe(404);
			// B's own homepage with A's revision id: not found either.
			expect(await status(restoreRevision(other, 'home', null, { id: history.revisions[1]!.id }))).toBe(404);
			const B = await revisionsFor(other, 'home', null);
			expect(B.revisions).toEqual([]);
			// A revision of one page cannot be restored onto another page of the same site.
			const second = await savePage(editor, null, { title: 'Second', body: 'x', intent: 'publish' });
			expect(await status(restoreRevision(editor, 'page', second.id, { id: history.revisions[1]!.id }))).toBe(404);
			expect(await status(restoreRevision(editor, 'page', page.id, { id: 'not-a-uuid' }))).toBe(404);
			// Row-level security: a query without its site filter sees only the scope's rows.
			const seen = await siteRead(other.site.id, () => db().select().from(revision));
			expect(seen.every((r) => r.siteId === other.site.id)).toBe(true);
			const seenDrafts = await siteRead(other.site.id, () => db().select().from(draft));
			expect(seenDrafts.every((r) => r.siteId === other.site.id)).toBe(true);
		});

		it('drafts belong to one person; the real save deletes them', async () => {
			await saveDraft(editor, { key: 'page:new', title: 'Half-written', body: 'Lots of text' });
			await saveDraft(editor, { key: 'page:new', title: 'Half-written page', body: 'Lots more text' });
			const mine = await draftFor(editor, { key: 'page:new' });
			expect(mine!.data).toEqual({ title: 'Half-written page', body: 'Lots more text' });
			expect(await draftFor(colleague, { key: 'page:new' })).toBeNull();
			expect(await draftFor(other, { key: 'page:new' })).toBeNull();
			expect((await draftsForAdmin(editor)).map((d) => d.key)).toEqual(['page:new']);
			expect(await draftsForAdmin(colleague)).toEqual([]);

			const page = await savePage(editor, null, { title: 'Half-written page', body: 'Lots more text', intent: 'publish' });
			expect(await draftFor(editor, { key: 'page:new' })).toBeNull();

			await saveDraft(editor, { key: `page:${page.id}`, body: 'Edit in progress' });
			await saveDraft(colleague, { key: `page:${page.id}`, body: 'Colleague edit' });
			await savePage(editor, page.id, { title: 'Half-written page', body: 'Edit in progress' });
			expect(await draftFor(editor, { key: `page:${page.id}` })).toBeNull();
			// The colleague's draft is theirs: untouched by someone else's save.
			expect((await draftFor(colleague, { key: `page:${page.id}` }))!.data.body).toBe('Colleague edit');
			await discardDraft(colleague, { key: `page:${page.id}` });
			expect(await draftFor(colleague, { key: `page:${page.id}` })).toBeNull();

			await saveDraft(editor, { key: 'home', intro: 'Draft intro' });
			await updateHome(editor, { intro: 'Saved intro' });
			expect(await draftFor(editor, { key: 'home' })).toBeNull();
		});

		it('refuses drafts for unknown editors, another site’s page, and too much text', async () => {
			const page = await savePage(editor, null, { title: 'Mine', intent: 'publish' });
			expect(await status(saveDraft(other, { key: `page:${page.id}`, body: 'x' }))).toBe(404);
			expect(await status(draftFor(other, { key: `page:${page.id}` }))).toBe(404);
			expect(await status(saveDraft(editor, { key: 'settings', body: 'x' }))).toBe(400);
			expect(await status(saveDraft(editor, { key: 'page:new', body: 'x'.repeat(200_000) }))).toBe(400);
			const anonymous: SiteActor = { ...editor, user: null, role: null };
			expect(await status(saveDraft(anonymous, { key: 'page:new', body: 'x' }))).toBe(401);
		});

		it('keeps the focal point of an event image and of the background, only on the own site', async () => {
			const A = editor.site;
			const image = await f.createAsset(A);
			const ev = await f.createEvent(A, { title: 'Poster', imageAssetId: image.id });
			await saveEvent(editor, ev.id, { title: 'Poster', startDate: '2031-06-01', startTime: '20:00', focalX: '20', focalY: '85' });
			const [stored] = await db().select().from(asset).where(eq(asset.id, image.id));
			expect([stored!.focalX, stored!.focalY]).toEqual([20, 85]);
			expect(
				await status(saveEvent(editor, ev.id, { title: 'Poster', startDate: '2031-06-01', startTime: '20:00', focalX: '101', focalY: '5' }))
			).toBe(400);
			// The shape beside it: a preset is kept; a shape for another use, or none of ours, is refused.
			const form = { title: 'Poster', startDate: '2031-06-01', startTime: '20:00', focalX: '20', focalY: '85' };
			await saveEvent(editor, ev.id, { ...form, frame: 'poster' });
			const [framed] = await db().select().from(asset).where(eq(asset.id, image.id));
			expect(framed!.frame).toBe('poster');
			expect(await status(saveEvent(editor, ev.id, { ...form, frame: 'whole' }))).toBe(400);
			expect(await status(saveEvent(editor, ev.id, { ...form, frame: 'banner' }))).toBe(400);
			// A form without the picker keeps the shape.
			await saveEvent(editor, ev.id, { title: 'Poster', startDate: '2031-06-01', startTime: '20:00' });
			expect((await db().select().from(asset).where(eq(asset.id, image.id)))[0]!.frame).toBe('poster');

			const adminPerson = await f.createMember(A, 'admin');
			const owner = await f.actorOn(A, adminPerson, 'admin');
			expect(await status(setBackgroundFocus(owner, { focalX: '10', focalY: '10' }))).toBe(404);
			const bg = await f.createAsset(A);
			await db().update(site).set({ backgroundAssetId: bg.id }).where(eq(site.id, A.id));
			const withBackground = await f.actorOn(A, adminPerson, 'admin');
			await setBackgroundFocus(withBackground, { focalX: '30', focalY: '70' });
			const [b] = await db().select().from(asset).where(eq(asset.id, bg.id));
			expect([b!.focalX, b!.focalY]).toEqual([30, 70]);
			await setBackgroundFocus(withBackground, { focalX: '30', focalY: '70', frame: 'whole' });
			expect((await db().select().from(asset).where(eq(asset.id, bg.id)))[0]!.frame).toBe('whole');
			expect(await status(setBackgroundFocus(withBackground, { focalX: '30', focalY: '70', frame: 'poster' }))).toBe(400);
			expect(await status(setBackgroundFocus(editor, { focalX: '30', focalY: '70' }))).toBe(403);
		});
	});
}
