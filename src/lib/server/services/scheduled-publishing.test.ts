/**
 * Scheduled publishing through the services, on PostgreSQL and on PGlite: "Schedule" keeps a
 * draft with its time and queues a job for that instant in the same transaction; the job's pass
 * publishes exactly the drafts that are due (once, however often it runs), on their own site
 * only; "Publish", "Save draft" and a past time behave as an editor expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { db, siteRead } from '../db';
import { getEvent } from '../queries/events';
import { getPage } from '../queries/pages';
import { localDateTimeInput } from '../../time';
import { startJobs, stopJobs } from '../jobs';
import { publishDue } from '../jobs/definitions';
import type { SiteActor } from './actor';
import { saveEvent } from './events';
import { savePage } from './pages';
import { publishDueContent } from './scheduled-publishing';

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows);

for (const kind of databaseKinds()) {
	describe(`scheduled publishing on ${kind}`, () => {
		useTestDatabase(kind);
		let editor: SiteActor;
		let other: SiteActor;
		const zone = 'Europe/Berlin';
		const inMinutes = (n: number) => localDateTimeInput(new Date(Date.now() + n * 60_000), zone);
		const event = (overrides: Record<string, unknown>) => ({
			title: 'Film night',
			startDate: '2031-05-02',
			startTime: '19:00',
			...overrides
		});

		beforeAll(async () => {
			// Producing only: the pass is run by hand here, with a chosen "now".
			await startJobs({ role: 'web', definitions: [publishDue] as never });
			const A = await f.createSite({ slug: `sched-a-${kind}`, timezone: zone });
			const B = await f.createSite({ slug: `sched-b-${kind}`, timezone: zone });
			editor = await f.actorOn(A, await f.createMember(A, 'editor'), 'editor');
			other = await f.actorOn(B, await f.createMember(B, 'editor'), 'editor');
		}, 60_000);
		afterAll(() => stopJobs(1000));

		it('"Schedule" keeps a draft with its time and queues the job for that instant, in the save', async () => {
			const at = inMinutes(90);
			const row = await saveEvent(editor, null, event({ intent: 'schedule', publishAt: at }));
			expect(row.status).toBe('draft');
			expect(localDateTimeInput(row.publishAt!, zone)).toBe(at);
			const jobs = rowsOf<{ start_after: Date }>(
				await db().execute(
					sql`select start_after from pgboss.job where name = 'content.publish-due' and start_after > now() + interval '1 hour'`
				)
			);
			expect(jobs.map((j) => new Date(j.start_after).getTime())).toContain(row.publishAt!.getTime());
		});

		it('the pass publishes what is due, once, and nothing of another site or not yet due', async () => {
			const soon = await saveEvent(editor, null, event({ title: 'Soon', intent: 'schedule', publishAt: inMinutes(5) }));
			const later = await saveEvent(editor, null, event({ title: 'Later', intent: 'schedule', publishAt: inMinutes(120) }));
			const page = await savePage(editor, null, { title: 'Summer programme', body: 'Hello', intent: 'schedule', publishAt: inMinutes(5) });
			const elsewhere = await saveEvent(other, null, event({ title: 'Elsewhere', intent: 'schedule', publishAt: inMinutes(30) }));
			const now = new Date(Date.now() + 10 * 60_000);
			const report = await publishDueContent(now);
			expect(report.events).toEqual([soon.id]);
			expect(report.pages).toEqual([page.id]);
			const read = (actor: SiteActor, id: string) => siteRead(actor.site.id, () => getEvent(actor.site.id, id));
			expect(await read(editor, soon.id)).toMatchObject({ status: 'published', publishAt: null });
			expect(await read(editor, later.id)).toMatchObject({ status: 'draft' });
			expect(await read(other, elsewhere.id)).toMatchObject({ status: 'draft' });
			expect(await siteRead(editor.site.id, () => getPage(editor.site.id, page.id))).toMatchObject({ published: true, publishAt: null });
			// Another pass (a retried or second job) finds nothing left to do.
			expect(await publishDueContent(now)).toEqual({ events: [], pages: [] });
			const audit = rowsOf<{ action: string; target: string }>(
				await db().execute(
					sql`select action, target from audit_event where site_id = ${editor.site.id} and action like '%publish_scheduled'`
				)
			);
			expect(audit.map((a) => `${a.action} ${a.target}`).sort()).toEqual([
				'event.publish_scheduled Soon',
				'page.publish_scheduled Summer programme'
			]);
		});

		it('"Unschedule", "Publish now" and a changed time do what they say; a past time is refused', async () => {
			const row = await saveEvent(editor, null, event({ title: 'Moved', intent: 'schedule', publishAt: inMinutes(60) }));
			const moved = await saveEvent(editor, row.id, event({ title: 'Moved', intent: 'save', publishAt: inMinutes(180) }));
			expect(moved.publishAt!.getTime() - row.publishAt!.getTime()).toBe(120 * 60_000);
			// A client that sends no time keeps the schedule.
			expect((await saveEvent(editor, row.id, event({ title: 'Moved', intent: 'save' }))).publishAt).toEqual(moved.publishAt);
			expect(await saveEvent(editor, row.id, event({ title: 'Moved', intent: 'draft', publishAt: inMinutes(180) }))).toMatchObject({
				status: 'draft',
				publishAt: null
			});
			const now = await saveEvent(editor, row.id, event({ title: 'Moved', intent: 'schedule', publishAt: inMinutes(60) }));
			expect(await saveEvent(editor, now.id, event({ title: 'Moved', intent: 'publish', publishAt: inMinutes(60) }))).toMatchObject({
				status: 'published',
				publishAt: null
			});
			expect(await status(saveEvent(editor, null, event({ title: 'Past', intent: 'schedule', publishAt: inMinutes(-5) })))).toBe(400);
			expect(await status(saveEvent(editor, null, event({ title: 'No time', intent: 'schedule', publishAt: '' })))).toBe(400);
			expect(await status(savePage(editor, null, { title: 'Bad time', intent: 'schedule', publishAt: '2031-02-30T10:00' }))).toBe(400);
			const titles = rowsOf<{ title: string }>(await db().execute(sql`select title from event where title in ('Past', 'No time')`));
			expect(titles).toEqual([]);
		});
	});
}
