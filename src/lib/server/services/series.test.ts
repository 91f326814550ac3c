/**
 * Recurring series through the services, on PostgreSQL and on PGlite: dates materialised in the
 * site's zone across DST changes, a bounded horizon extended later, one date cancelled or changed
 * without touching the rest, series edits that respect those exceptions, deleting a series, and
 * another site that can neither see nor change any of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { db, siteRead } from '../db';
import { event, eventSeries } from '../db/schema';
import { listOccurrences, listUpcomingEvents } from '../queries/events';
import { wallTime } from '../../time';
import type { SiteActor } from './actor';
import { deleteEvent, eventForVisitor, eventsForAdmin, saveEvent, setEventCancelled } from './events';
import { deleteSeries, extendSeriesAhead, saveSeries, seriesForEditor, seriesLandingSlug } from './series';

const local = (d: Date, zone: string) => {
	const w = wallTime(d, zone);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
};

for (const kind of databaseKinds()) {
	describe(`event series on ${kind}`, () => {
		useTestDatabase(kind);
		let berlin: SiteActor;
		let newYork: SiteActor;
		let other: SiteActor;

		beforeAll(async () => {
			const A = await f.createSite({ slug: `berlin-${kind}`, timezone: 'Europe/Berlin' });
			const N = await f.createSite({ slug: `newyork-${kind}`, timezone: 'America/New_York' });
			const B = await f.createSite({ slug: `other-${kind}`, timezone: 'Europe/Berlin' });
			berlin = await f.actorOn(A, await f.createMember(A, 'editor'), 'editor');
			newYork = await f.actorOn(N, await f.createMember(N, 'editor'), 'editor');
			other = await f.actorOn(B, await f.createMember(B, 'owner'), 'owner');
		}, 60_000);

		it('every Friday 19:00–22:00 in Berlin stays 19:00 local across the March and October changes', async () => {
			const now = new Date('2031-03-01T12:00:00Z');
			const series = await saveSeries(
				berlin,
				null,
				{
					title: 'Film Night',
					startDate: '2031-03-21',
					startTime: '19:00',
					endTime: '22:00',
					repeat: 'weekly',
					repeatWeekdays: 'FR',
					intent: 'publish'
				},
				now
			);
			expect(series.rrule).toBe('FREQ=WEEKLY;BYDAY=FR');
			const rows = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			// Clocks go forward on 30 March 2031 and back on 26 October 2031.
			const [mar21, mar28, apr4] = rows;
			expect([mar21, mar28, apr4].map((r) => local(r!.startsAt, 'Europe/Berlin'))).toEqual([
				'2031-03-21 19:00',
				'2031-03-28 19:00',
				'2031-04-04 19:00'
			]);
			expect([mar28!.startsAt.toISOString(), apr4!.startsAt.toISOString()]).toEqual([
				'2031-03-28T18:00:00.000Z',
				'2031-04-04T17:00:00.000Z'
			]);
			const oct = rows.filter((r) => r.occurrenceDate! >= '2031-10-24' && r.occurrenceDate! <= '2031-10-31');
			expect(oct.map((r) => [r.startsAt.toISOString(), r.endsAt!.toISOString()])).toEqual([
				['2031-10-24T17:00:00.000Z', '2031-10-24T20:00:00.000Z'],
				['2031-10-31T18:00:00.000Z', '2031-10-31T21:00:00.000Z']
			]);
			expect(rows.every((r) => local(r.startsAt, 'Europe/Berlin').endsWith('19:00') && r.status === 'published')).toBe(true);
			expect(rows.every((r) => r.slug === `${series.slug}/${r.occurrenceDate}`)).toBe(true);
			// A year ahead of now, no further (open-ended rule).
			expect(rows.at(-1)!.occurrenceDate! <= '2032-03-01').toBe(true);
			expect(rows.at(-1)!.occurrenceDate! >= '2032-02-20').toBe(true);
		});

		it('the 2nd Friday in New York across both changes of 2031; an overnight end the next day', async () => {
			const now = new Date('2031-01-01T12:00:00Z');
			const series = await saveSeries(
				newYork,
				null,
				{
					title: 'Late show',
					startDate: '2031-01-10',
					startTime: '22:00',
					endDate: '2031-01-11',
					endTime: '02:00',
					repeat: 'monthly',
					repeatMonthly: 'weekday',
					repeatEnds: 'count',
					repeatCount: '12',
					intent: 'publish'
				},
				now
			);
			expect(series.rrule).toBe('FREQ=MONTHLY;BYDAY=2FR;COUNT=12');
			const rows = await siteRead(newYork.site.id, () => listOccurrences(newYork.site.id, series.id));
			expect(rows.map((r) => r.occurrenceDate)).toEqual([
				'2031-01-10',
				'2031-02-14',
				'2031-03-14',
				'2031-04-11',
				'2031-05-09',
				'2031-06-13',
				'2031-07-11',
				'2031-08-08',
				'2031-09-12',
				'2031-10-10',
				'2031-11-14',
				'2031-12-12'
			]);
			expect(rows.every((r) => local(r.startsAt, 'America/New_York').endsWith('22:00'))).toBe(true);
			expect(rows.every((r) => local(r.endsAt!, 'America/New_York').endsWith('02:00'))).toBe(true);
			// EST (UTC−5) in February, EDT (UTC−4) in March after the 9 March change, EST again in November.
			const utcHour = (d: string) => rows.find((r) => r.occurrenceDate === d)!.startsAt.getUTCHours();
			expect([utcHour('2031-02-14'), utcHour('2031-03-14'), utcHour('2031-10-10'), utcHour('2031-11-14')]).toEqual([3, 2, 2, 3]);
		});

		it('materialises a bounded horizon and extends it when it runs short, once', async () => {
			const now = new Date('2031-03-01T12:00:00Z');
			const series = await saveSeries(
				berlin,
				null,
				{
					title: 'Open end',
					slug: 'open-end',
					startDate: '2031-03-02',
					startTime: '10:00',
					repeat: 'monthly',
					repeatMonthly: 'last',
					intent: 'publish'
				},
				now
			);
			expect(series.rrule).toBe('FREQ=MONTHLY;BYDAY=-1SU');
			const before = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			expect(before.length).toBe(12);
			expect(await extendSeriesAhead(berlin.site, now)).toBe(0);
			const later = new Date('2031-06-15T12:00:00Z');
			expect(await extendSeriesAhead(berlin.site, later)).toBeGreaterThan(0);
			const after = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			expect(after.length).toBe(15);
			expect(after.at(-1)!.occurrenceDate).toBe('2032-05-30');
			expect(await extendSeriesAhead(berlin.site, later)).toBe(0);
		});

		it('one date cancelled, one changed; a series edit updates the rest and keeps both exceptions', async () => {
			const now = new Date('2031-03-01T12:00:00Z');
			const input = {
				title: 'Community night',
				slug: 'community-night',
				startDate: '2031-04-11',
				startTime: '19:00',
				endTime: '22:00',
				venueName: 'The Hall',
				repeat: 'weekly',
				repeatInterval: '2',
				repeatEnds: 'until',
				repeatUntil: '2031-06-30',
				intent: 'publish'
			};
			const series = await saveSeries(berlin, null, input, now);
			const rows = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			expect(rows.map((r) => r.occurrenceDate)).toEqual([
				'2031-04-11',
				'2031-04-25',
				'2031-05-09',
				'2031-05-23',
				'2031-06-06',
				'2031-06-20'
			]);
			const [, cancelled, moved] = rows;
			await setEventCancelled(berlin, cancelled!.id, true);
			await saveEvent(berlin, moved!.id, {
				title: 'Community night: special',
				startDate: '2031-05-10',
				startTime: '20:00',
				venueName: 'The Garden',
				description: 'Outside this time',
				intent: 'publish'
			});

			await saveSeries(berlin, series.id, { ...input, title: 'Community evening', venueName: 'The New Hall' }, now);
			const after = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			const by = new Map(after.map((r) => [r.occurrenceDate, r]));
			expect(by.get('2031-04-11')).toMatchObject({ title: 'Community evening', venueName: 'The New Hall', status: 'published' });
			expect(by.get('2031-04-25')).toMatchObject({ title: 'Community evening', status: 'cancelled', id: cancelled!.id });
			const m = by.get('2031-05-09')!;
			expect(m).toMatchObject({
				title: 'Community night: special',
				venueName: 'The Garden',
				detached: true,
				slug: 'community-night/2031-05-09'
			});
			expect(local(m.startsAt, 'Europe/Berlin')).toBe('2031-05-10 20:00');
			// Its own URL, cancelled state there only.
			const visitor = await f.actorOn(berlin.site, null, null);
			expect((await eventForVisitor(visitor, 'community-night/2031-04-25')).row.status).toBe('cancelled');
			expect((await eventForVisitor(visitor, 'community-night/2031-05-23')).row.status).toBe('published');
			expect(await seriesLandingSlug(visitor, 'community-night', now)).toBe('community-night/2031-04-11');

			// Fewer dates: the ones the rule drops go, except the one changed by hand.
			await saveSeries(berlin, series.id, { ...input, repeatUntil: '2031-05-01' }, now);
			const fewer = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			expect(fewer.map((r) => r.occurrenceDate)).toEqual(['2031-04-11', '2031-04-25', '2031-05-09']);

			// A date of a series is cancelled, not deleted.
			expect(await status(deleteEvent(berlin, fewer[0]!.id, { confirm: 'yes' }))).toBe(400);

			const admin = await eventsForAdmin(berlin, 'upcoming', now);
			const listed = admin.series.find((s) => s.series.id === series.id)!;
			expect(listed.upcomingCount).toBe(3);
			expect(admin.events.some((e) => e.seriesId)).toBe(false);
		});

		it('deleting a series: only the dates to come (past ones stay as events), or all of them', async () => {
			const created = new Date('2031-01-01T12:00:00Z');
			const base = {
				startDate: '2031-01-06',
				startTime: '18:00',
				repeat: 'weekly',
				repeatEnds: 'count',
				repeatCount: '6',
				intent: 'publish'
			};
			const keep = await saveSeries(berlin, null, { ...base, title: 'Keep past' }, created);
			const gone = await saveSeries(berlin, null, { ...base, title: 'All gone' }, created);
			const now = new Date('2031-01-25T12:00:00Z');
			expect(await status(deleteSeries(berlin, keep.id, { scope: 'future' }, now))).toBe(400);
			await deleteSeries(berlin, keep.id, { confirm: 'yes', scope: 'future' }, now);
			await deleteSeries(berlin, gone.id, { confirm: 'yes', scope: 'all' }, now);
			const left = await db().select().from(event).where(eq(event.siteId, berlin.site.id));
			const kept = left.filter((r) => r.slug.startsWith(`${keep.slug}/`));
			expect(kept.map((r) => [r.slug, r.seriesId])).toEqual([
				[`${keep.slug}/2031-01-06`, null],
				[`${keep.slug}/2031-01-13`, null],
				[`${keep.slug}/2031-01-20`, null]
			]);
			expect(left.filter((r) => r.slug.startsWith(`${gone.slug}/`))).toEqual([]);
			expect(await db().select().from(eventSeries).where(eq(eventSeries.id, keep.id))).toEqual([]);
		});

		it('another site can neither see nor change a series or its dates', async () => {
			const now = new Date('2031-03-01T12:00:00Z');
			const series = await saveSeries(
				berlin,
				null,
				{ title: 'Private to A', slug: 'a-only', startDate: '2031-03-03', startTime: '19:00', repeat: 'weekly', intent: 'publish' },
				now
			);
			const [first] = await siteRead(berlin.site.id, () => listOccurrences(berlin.site.id, series.id));
			const attempt = { title: 'Hijacked', startDate: '2031-03-03', startTime: '19:00', repeat: 'weekly', intent: 'publish' };
			expect(await status(seriesForEditor(other, series.id))).toBe(404);
			expect(await status(saveSeries(other, series.id, attempt, now))).toBe(404);
			expect(await status(deleteSeries(other, series.id, { confirm: 'yes', scope: 'all' }, now))).toBe(404);
			expect(await status(saveEvent(other, first!.id, attempt))).toBe(404);
			expect(await status(setEventCancelled(other, first!.id, true))).toBe(404);
			expect(await status(eventForVisitor(other, first!.slug))).toBe(404);
			expect(await status(seriesLandingSlug(other, 'a-only', now))).toBe(404);
			const theirs = await eventsForAdmin(other, 'all', now);
			expect(theirs.series).toEqual([]);
			expect(await listUpcomingEvents(other.site.id, now)).toEqual([]);
			// The same slug is free on the other site, and its dates are its own.
			const own = await saveSeries(other, null, { ...attempt, title: 'B’s own', slug: 'a-only' }, now);
			expect(own.siteId).toBe(other.site.id);
			// Row-level security: a site scope sees only its own series.
			const seen = await siteRead(other.site.id, () => db().select().from(eventSeries));
			expect(seen.map((s) => s.id)).toEqual([own.id]);
			const [unchanged] = await db()
				.select()
				.from(event)
				.where(and(eq(event.id, first!.id)));
			expect([unchanged!.title, unchanged!.status, unchanged!.detached]).toEqual(['Private to A', 'published', false]);
		});
	});
}
