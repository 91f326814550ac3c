/** The demo seed on an empty database: the film club's recurring series with one cancelled and one changed date, tags and places. */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import { db } from '../db';
import { event, eventSeries, eventTag, place, tag } from '../db/schema';
import { seedDemoIfEmpty } from './demo';

for (const kind of databaseKinds()) {
	describe(`demo seed on ${kind}`, () => {
		useTestDatabase(kind);
		it('a series every 2nd Friday with one cancelled and one moved date, tagged, at a place', async () => {
			expect(await seedDemoIfEmpty()).toContain('bad-movies-theater');
			const [series] = await db().select().from(eventSeries).where(eq(eventSeries.slug, 'heckle-night'));
			expect(series?.rrule).toBe('FREQ=MONTHLY;BYDAY=2FR');
			const dates = await db().select().from(event).where(eq(event.seriesId, series!.id)).orderBy(event.occurrenceDate);
			expect(dates.length).toBeGreaterThanOrEqual(12);
			expect(dates.filter((d) => d.status === 'cancelled')).toHaveLength(1);
			const moved = dates.filter((d) => d.detached);
			expect(moved.map((d) => d.title)).toEqual(['Heckle Night on the roof']);
			expect(moved[0]!.placeId).not.toBe(series!.placeId);
			expect((await db().select().from(place).where(eq(place.siteId, series!.siteId))).length).toBe(2);
			expect((await db().select().from(tag).where(eq(tag.siteId, series!.siteId))).map((t) => t.name).sort()).toEqual([
				'Screening',
				'Workshop'
			]);
			expect(await db().select().from(eventTag).where(eq(eventTag.seriesId, series!.id))).toHaveLength(1);
			// A second start-up seeds nothing more.
			expect(await seedDemoIfEmpty()).toEqual([]);
		}, 60_000);
	});
}
