/**
 * A recurring series on the public site over real HTTP: its dates on /events, each at its own
 * address with its own cancelled state, the series address leading to the next date, and the
 * calendar feed read by two independent parsers (ical.js and node-ical) giving exactly the site's
 * dates, across the end of summer time in Berlin. Another site shows none of it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import { get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import * as f from '../support/factories';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { listOccurrences, type EventRow } from '../../src/lib/server/queries/events';
import { saveSeries } from '../../src/lib/server/services/series';
import { saveEvent, setEventCancelled } from '../../src/lib/server/services/events';
import { wallTime } from '../../src/lib/time';

const DAY = 86_400_000;

/** The Friday three weeks before the next last-Sunday-of-October (Berlin leaves summer time that night). */
function fridayBeforeOctoberChange(): string {
	const now = new Date();
	for (let year = now.getUTCFullYear(); ; year++) {
		const lastSunday = 31 - new Date(Date.UTC(year, 9, 31)).getUTCDay();
		const friday = new Date(Date.UTC(year, 9, lastSunday - 2 - 21));
		if (friday.getTime() > now.getTime() + 2 * DAY) return friday.toISOString().slice(0, 10);
	}
}

describe.runIf(inject('templateDatabase'))('event series on the public site', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	const A = { host: 'series-club.example' } as { host: string; id: string };
	let hostA: string;
	let hostB: string;
	let rows: EventRow[] = [];
	let cancelled: EventRow;
	let moved: EventRow;
	const first = fridayBeforeOctoberChange();

	beforeAll(async () => {
		const a = await f.createSite({ name: 'Series Club', timezone: 'Europe/Berlin' });
		A.id = a.id;
		await setPrimaryDomain(a.id, (await f.createDomain(a.id, A.host, true)).id);
		const b = await f.createSite({ name: 'Other Club', timezone: 'Europe/Berlin' });
		const editor = await f.actorOn(a, await f.createMember(a, 'editor'), 'editor');
		const series = await saveSeries(editor, null, {
			title: 'Film Friday',
			slug: 'film-friday',
			startDate: first,
			startTime: '19:00',
			endTime: '22:00',
			venueName: 'Kino',
			repeat: 'weekly',
			repeatEnds: 'count',
			repeatCount: '6',
			intent: 'publish'
		});
		const initial = await listOccurrences(a.id, series.id);
		cancelled = initial[1]!;
		moved = initial[2]!;
		await setEventCancelled(editor, cancelled.id, true);
		const movedDay = new Date(Date.parse(`${moved.occurrenceDate}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
		await saveEvent(editor, moved.id, {
			title: 'Film Friday on Saturday',
			startDate: movedDay,
			startTime: '20:30',
			endTime: '23:00',
			venueName: 'Garden',
			intent: 'publish'
		});
		rows = await listOccurrences(a.id, series.id);
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
		hostA = `${A.host}:${hub.port}`;
		hostB = `${b.slug}.hub.test:${hub.port}`;
	});
	afterAll(() => hub?.stop());

	const getA = (path: string) => get(hub.origin, path, hostA);
	const getB = (path: string) => get(hub.origin, path, hostB);

	it('every date is on /events, the cancelled one marked, each at its own address', async () => {
		expect(rows.map((r) => r.slug)).toHaveLength(6);
		const page = await getA('/events');
		expect(page.status).toBe(200);
		for (const r of rows) expect(page.body).toContain(`href="/events/${r.slug}"`);
		for (const r of rows) {
			const one = await getA(`/events/${r.slug}`);
			expect(one.status, r.slug).toBe(200);
			expect(one.body.includes('This event is cancelled'), r.slug).toBe(r.id === cancelled.id);
		}
		const changed = await getA(`/events/${moved.slug}`);
		expect(changed.body).toContain('Film Friday on Saturday');
		expect(changed.body).toContain('Garden');
		// The series' own address leads to its next date.
		const landing = await getA('/events/film-friday');
		expect([landing.status, landing.headers.location]).toEqual([302, `/events/${rows[0]!.slug}`]);
		expect((await getA('/events/film-friday/2001-01-01')).status).toBe(404);
		expect((await getA('/events/film-friday/not-a-date')).status).toBe(404);
	});

	it('the calendar feed gives exactly the site’s dates to ical.js and to node-ical, across the DST change', async () => {
		const r = await getA('/events.ics');
		expect(r.status).toBe(200);
		const expected = rows
			.map((e) => ({ uid: e.id, start: e.startsAt.toISOString(), end: e.endsAt!.toISOString() }))
			.sort((x, y) => x.start.localeCompare(y.start));

		const root = new ICAL.Component(ICAL.parse(r.body));
		for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
		const viaIcalJs = root
			.getAllSubcomponents('vevent')
			.map((c) => new ICAL.Event(c))
			.map((e) => ({ uid: e.uid, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString() }))
			.sort((x, y) => x.start.localeCompare(y.start));
		expect(viaIcalJs).toEqual(expected);

		const parsed = nodeIcal.sync.parseICS(r.body);
		const vevents = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
		const viaNodeIcal = vevents
			.map((e) => ({ uid: e.uid, start: new Date(e.start).toISOString(), end: new Date(e.end!).toISOString() }))
			.sort((x, y) => x.start.localeCompare(y.start));
		expect(viaNodeIcal).toEqual(expected);

		// 19:00 local on both sides of the change: 17:00Z in summer time, 18:00Z after.
		const unmoved = rows.filter((e) => e.id !== moved.id);
		expect(unmoved.every((e) => wallTime(e.startsAt, 'Europe/Berlin').hour === 19)).toBe(true);
		expect(new Set(unmoved.map((e) => e.startsAt.getUTCHours()))).toEqual(new Set([17, 18]));
		const statuses = vevents.map((e) => [e.uid, e.status]);
		expect(statuses.filter(([, s]) => s === 'CANCELLED')).toEqual([[cancelled.id, 'CANCELLED']]);
		// One date as a download too.
		const single = await getA(`/events/${moved.slug}.ics`);
		expect(single.status).toBe(200);
		expect(single.body).toContain(`UID:${moved.id}`);
	});

	it('the sitemap lists each date at its address', async () => {
		const map = await getA('/sitemap.xml');
		for (const r of rows) expect(map.body).toContain(`/events/${r.slug}</loc>`);
	});

	it('another site shows none of it', async () => {
		expect((await getB(`/events/${rows[0]!.slug}`)).status).toBe(404);
		expect((await getB('/events/film-friday')).status).toBe(404);
		expect((await getB(`/events/${rows[0]!.slug}.ics`)).status).toBe(404);
		const feed = await getB('/events.ics');
		expect(feed.body).not.toContain('Film Friday');
		expect((await getB('/events')).body).not.toContain('Film Friday');
	});
});
