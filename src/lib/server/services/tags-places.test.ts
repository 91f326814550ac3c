/**
 * Tags, places, online links, overnight times and "this and following" through the services, on
 * PostgreSQL and on PGlite: another site's tag or place can be neither attached nor filtered by
 * (a field error, nothing written); a split series ends the day before and a new one takes over,
 * its moved and cancelled dates keeping their addresses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import { siteRead } from '../db';
import { getEvent, listOccurrences, listUpcomingEvents } from '../queries/events';
import { listTagIdsOf } from '../queries/tags';
import { wallTime } from '../../time';
import type { SiteActor } from './actor';
import { eventForVisitor, eventsForAdmin, saveEvent, setEventCancelled } from './events';
import { saveSeries, seriesForEditor } from './series';
import { deletePlace, placeForVisitor, savePlace } from './places';
import { withLocale } from '../i18n';
import type { AppError } from '../errors';
import { deleteTag, saveTag } from './tags';

const local = (d: Date, zone: string) => {
	const w = wallTime(d, zone);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
};
const NOW = new Date('2031-03-01T12:00:00Z');

for (const kind of databaseKinds()) {
	describe(`tags, places, online and split series on ${kind}`, () => {
		useTestDatabase(kind);
		let a: SiteActor;
		let b: SiteActor;

		beforeAll(async () => {
			const A = await f.createSite({ slug: `tp-a-${kind}`, timezone: 'Europe/Berlin' });
			const B = await f.createSite({ slug: `tp-b-${kind}`, timezone: 'Europe/Berlin' });
			a = await f.actorOn(A, await f.createMember(A, 'editor'), 'editor');
			b = await f.actorOn(B, await f.createMember(B, 'owner'), 'owner');
		}, 60_000);

		it('another site’s place or tag cannot be attached: a field error, nothing written', async () => {
			const theirPlace = await savePlace(b, null, { name: 'Their Hall', address: 'Elsewhere 1' });
			const theirTag = await saveTag(b, null, { name: 'Theirs' });
			const before = await siteRead(a.site.id, () => listUpcomingEvents(a.site.id, new Date(0), 500));
			const base = { title: 'Sneaky', startDate: '2031-05-01', startTime: '19:00', intent: 'publish' };
			expect(await status(saveEvent(a, null, { ...base, placeId: theirPlace.id }))).toBe(400);
			expect(await status(saveEvent(a, null, { ...base, tagIds: [theirTag.id] }))).toBe(400);
			expect(await status(saveSeries(a, null, { ...base, repeat: 'weekly', tagIds: theirTag.id }, NOW)), 'a series too').toBe(400);
			expect(await siteRead(a.site.id, () => listUpcomingEvents(a.site.id, new Date(0), 500))).toEqual(before);
			// Nor renamed, deleted, or used to narrow A's admin list (it narrows to nothing).
			expect(await status(saveTag(a, theirTag.id, { name: 'Mine now' }))).toBe(404);
			expect(await status(deleteTag(a, theirTag.id))).toBe(404);
			expect(await status(savePlace(a, theirPlace.id, { name: 'Mine now' }))).toBe(404);
			expect(await status(deletePlace(a, theirPlace.id, { confirm: 'yes' }))).toBe(404);
			const list = await eventsForAdmin(a, 'all', NOW, { tag: theirTag.id });
			expect([list.events, list.series, list.tags]).toEqual([[], [], []]);
		});

		it('place, tag and event errors come in the language of the request', async () => {
			const failure = (work: () => Promise<unknown>) =>
				withLocale('fr', () =>
					work().then(
						() => expect.unreachable(),
						(error: AppError) => ({ message: error.message, fields: error.fields })
					)
				);
			expect((await failure(() => savePlace(a, null, { name: 'Halle', latitude: '52.5' }))).fields).toMatchObject({
				longitude: 'Indiquez les deux coordonnées, ou aucune'
			});
			expect((await failure(() => savePlace(a, null, { name: 'Halle', latitude: 'nord', longitude: '200' }))).fields).toMatchObject({
				latitude: 'Latitude : un nombre en degrés',
				longitude: 'Longitude : au plus 180'
			});
			expect((await failure(() => saveTag(a, null, { name: 'Rouge', color: 'red' }))).fields).toMatchObject({
				color: 'Choisissez une couleur comme #1f6feb'
			});
			expect((await failure(() => deletePlace(a, null, {}))).fields).toMatchObject({ confirm: 'Cochez la case pour confirmer' });
			expect((await failure(() => placeForVisitor(a.site.id, 'nowhere'))).message).toBe('Ce lieu n’existe pas.');
			const base = { title: 'X', startDate: '2031-05-01', startTime: '19:00', intent: 'publish' };
			expect((await failure(() => saveEvent(a, null, { ...base, tagIds: 'nope', onlineReveal: 'later' }))).fields).toMatchObject({
				tagIds: 'Étiquette inconnue',
				onlineReveal: 'Choisissez quand le lien apparaît'
			});
		});

		it('an event at a place with tags and an online link; renaming the place updates it; deleting it keeps the text', async () => {
			const place = await savePlace(a, null, {
				name: 'Kino Rex',
				address: 'Weserstraße 7, 12047 Berlin',
				latitude: '52.48',
				longitude: '13.43'
			});
			expect(await status(savePlace(a, null, { name: 'Half', latitude: '52' }))).toBe(400);
			const tag = await saveTag(a, null, { name: 'Screening', color: '#FFFF00' });
			expect(tag.color).toBe('#ffff00');
			const row = await saveEvent(a, null, {
				title: 'Zine talk',
				startDate: '2031-05-02',
				startTime: '18:00',
				placeId: place.id,
				venueName: 'ignored',
				tagIds: tag.id,
				onlineUrl: 'https://meet.example/zine',
				onlineReveal: '60',
				intent: 'publish'
			});
			expect([row.venueName, row.venueAddress, row.placeId, row.onlineRevealMinutes]).toEqual(['Kino Rex', place.address, place.id, 60]);
			expect(await siteRead(a.site.id, () => listTagIdsOf(a.site.id, { eventId: row.id }))).toEqual([tag.id]);
			await savePlace(a, place.id, { name: 'Kino Rex (new)', address: place.address, latitude: '52.48', longitude: '13.43' });
			expect((await siteRead(a.site.id, () => getEvent(a.site.id, row.id)))!.venueName).toBe('Kino Rex (new)');
			await deletePlace(a, place.id, { confirm: 'yes' });
			const kept = (await siteRead(a.site.id, () => getEvent(a.site.id, row.id)))!;
			expect([kept.placeId, kept.venueName]).toEqual([null, 'Kino Rex (new)']);
			await deleteTag(a, tag.id);
			expect(await siteRead(a.site.id, () => listTagIdsOf(a.site.id, { eventId: row.id }))).toEqual([]);
		});

		it('20:00–02:00 without an end date ends the next day, for one event and for a series across DST', async () => {
			const one = await saveEvent(a, null, {
				title: 'Party',
				startDate: '2031-03-29',
				startTime: '20:00',
				endTime: '02:00',
				intent: 'publish'
			});
			// Clocks go forward at 02:00 on 30 March 2031: 02:00 does not exist, so it ends at 03:00 local.
			expect([local(one.startsAt, 'Europe/Berlin'), local(one.endsAt!, 'Europe/Berlin')]).toEqual(['2031-03-29 20:00', '2031-03-30 03:00']);
			const series = await saveSeries(
				a,
				null,
				{
					title: 'Club night',
					startDate: '2031-03-22',
					startTime: '22:00',
					endTime: '04:00',
					repeat: 'weekly',
					repeatEnds: 'count',
					repeatCount: '3',
					intent: 'publish'
				},
				NOW
			);
			expect(series.endDayOffset).toBe(1);
			const rows = await siteRead(a.site.id, () => listOccurrences(a.site.id, series.id));
			expect(rows.map((r) => `${local(r.startsAt, 'Europe/Berlin')}–${local(r.endsAt!, 'Europe/Berlin')}`)).toEqual([
				'2031-03-22 22:00–2031-03-23 04:00',
				'2031-03-29 22:00–2031-03-30 04:00',
				'2031-04-05 22:00–2031-04-06 04:00'
			]);
			const editor = await seriesForEditor(a, series.id);
			expect(editor.series.endTime).toBe('04:00');
		});

		it('"this and following": the old series ends the day before, a new one takes over; changed dates keep their address', async () => {
			const tag = await saveTag(a, null, { name: 'Film' });
			const form = {
				title: 'Second Friday',
				slug: 'second-friday',
				startDate: '2031-03-14',
				startTime: '19:00',
				endTime: '22:00',
				repeat: 'monthly',
				repeatMonthly: 'weekday',
				tagIds: tag.id,
				intent: 'publish'
			};
			const series = await saveSeries(a, null, form, NOW);
			const rows = await siteRead(a.site.id, () => listOccurrences(a.site.id, series.id));
			expect(rows.slice(0, 4).map((r) => r.occurrenceDate)).toEqual(['2031-03-14', '2031-04-11', '2031-05-09', '2031-06-13']);
			const [, , may, june] = rows;
			await setEventCancelled(a, june!.id, true);
			// Split from May: new time and title from then on.
			const next = await saveSeries(
				a,
				series.id,
				{ ...form, title: 'Second Friday (late)', startTime: '20:00', applyFrom: '2031-05-09' },
				NOW
			);
			expect(next.id).not.toBe(series.id);
			expect(next.firstDate).toBe('2031-05-09');
			expect(next.slug).toBe('second-friday-2031-05-09');
			const oldRows = await siteRead(a.site.id, () => listOccurrences(a.site.id, series.id));
			expect(oldRows.map((r) => r.occurrenceDate)).toEqual(['2031-03-14', '2031-04-11']);
			const newRows = await siteRead(a.site.id, () => listOccurrences(a.site.id, next.id));
			expect(newRows[0]!.slug, 'May keeps its address').toBe(may!.slug);
			expect(newRows.slice(0, 3).map((r) => [r.occurrenceDate, local(r.startsAt, 'Europe/Berlin'), r.title, r.status])).toEqual([
				['2031-05-09', '2031-05-09 20:00', 'Second Friday (late)', 'published'],
				['2031-06-13', '2031-06-13 20:00', 'Second Friday (late)', 'cancelled'],
				['2031-07-11', '2031-07-11 20:00', 'Second Friday (late)', 'published']
			]);
			// Every date that existed keeps its address; only dates added later take the new series' slug.
			expect(newRows[2]!.slug).toBe('second-friday/2031-07-11');
			expect((await eventForVisitor(a, june!.slug)).row.status).toBe('cancelled');
			expect(await siteRead(a.site.id, () => listTagIdsOf(a.site.id, { seriesId: next.id }))).toEqual([tag.id]);
			// Another site cannot split it.
			expect(await status(saveSeries(b, series.id, { ...form, applyFrom: '2031-05-09' }, NOW))).toBe(404);
		});
	});
}
