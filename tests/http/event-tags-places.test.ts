/**
 * Tags, places and online events over real HTTP with real Host headers: /events?tag= and the tag
 * chips, per-tag calendar and feed (the calendar read by ical.js and node-ical, equal to the
 * site's dates across the end of summer time, after a "this and following" split), a place's page
 * with its OpenStreetMap link, the Online badge and attendance mode in JSON-LD, the link shown
 * only from its time, tag and place pages in the sitemap. Another site's tags and places are never
 * listed or filtered by.
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
import { savePlace } from '../../src/lib/server/services/places';
import { saveTag } from '../../src/lib/server/services/tags';
import { wallTime } from '../../src/lib/time';

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** A Friday four weeks before the next last Sunday of October (Berlin leaves summer time then). */
function fridayBeforeOctoberChange(): string {
	const now = new Date();
	for (let year = now.getUTCFullYear(); ; year++) {
		const lastSunday = 31 - new Date(Date.UTC(year, 9, 31)).getUTCDay();
		const friday = new Date(Date.UTC(year, 9, lastSunday - 2 - 28));
		if (friday.getTime() > now.getTime() + 2 * DAY) return iso(friday);
	}
}

const jsonLd = (html: string) =>
	[...html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map(
		(m) => JSON.parse(m[1]!) as Record<string, unknown>
	);

describe.runIf(inject('templateDatabase'))('tags, places and online events on the public site', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	const A = { host: 'tags-club.example' } as { host: string; id: string };
	let hostA: string;
	let hostB: string;
	let screenings: EventRow[] = [];
	let oldPart: EventRow[] = [];
	let newPart: EventRow[] = [];
	const first = fridayBeforeOctoberChange();
	const split = iso(new Date(Date.parse(`${first}T00:00:00Z`) + 21 * DAY));

	beforeAll(async () => {
		const a = await f.createSite({ name: 'Tags Club', timezone: 'Europe/Berlin' });
		A.id = a.id;
		await setPrimaryDomain(a.id, (await f.createDomain(a.id, A.host, true)).id);
		const b = await f.createSite({ name: 'Other Club', timezone: 'Europe/Berlin' });
		const editor = await f.actorOn(a, await f.createMember(a, 'editor'), 'editor');
		const otherOwner = await f.actorOn(b, await f.createMember(b, 'owner'), 'owner');
		const kino = await savePlace(editor, null, {
			name: 'Kino Rex',
			address: 'Weserstraße 7, 12047 Berlin',
			latitude: '52.4861',
			longitude: '13.4319',
			accessibility: 'Step-free entrance on the courtyard side'
		});
		const screening = await saveTag(editor, null, { name: 'Screening', color: '#ffff00' });
		const talk = await saveTag(editor, null, { name: 'Talk' });
		// Site B: its own tag and place, one with the same address as A's, one only B has.
		const bTag = await saveTag(otherOwner, null, { name: 'Screening' });
		await saveTag(otherOwner, null, { name: 'Bravo only' });
		await savePlace(otherOwner, null, { name: 'Bravo Hall' });
		await saveEvent(otherOwner, null, {
			title: 'BRAVO screening',
			startDate: first,
			startTime: '19:00',
			tagIds: bTag.id,
			intent: 'publish'
		});

		const form = {
			title: 'Night Film',
			slug: 'night-film',
			startDate: first,
			startTime: '22:00',
			endTime: '01:00',
			placeId: kino.id,
			tagIds: screening.id,
			repeat: 'weekly',
			repeatEnds: 'count',
			repeatCount: '6',
			intent: 'publish'
		};
		const series = await saveSeries(editor, null, form);
		const initial = await listOccurrences(a.id, series.id);
		await setEventCancelled(editor, initial[1]!.id, true);
		const next = await saveSeries(editor, series.id, { ...form, title: 'Night Film (big hall)', startTime: '21:00', applyFrom: split });
		oldPart = await listOccurrences(a.id, series.id);
		newPart = await listOccurrences(a.id, next.id);
		screenings = [...oldPart, ...newPart];
		const soon = new Date(Date.now() + 3 * DAY);
		const soonDate = iso(soon);
		await saveEvent(editor, null, {
			title: 'Zine talk',
			startDate: soonDate,
			startTime: '18:00',
			tagIds: talk.id,
			onlineUrl: 'https://meet.example/zine-talk',
			onlineReveal: '60',
			intent: 'publish'
		});
		await saveEvent(editor, null, {
			title: 'Open studio',
			startDate: soonDate,
			startTime: '15:00',
			venueName: 'Studio',
			venueAddress: 'Hof 2, 10999 Berlin',
			onlineUrl: 'https://stream.example/studio',
			intent: 'publish'
		});
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
		hostA = `${A.host}:${hub.port}`;
		hostB = `${b.slug}.hub.test:${hub.port}`;
	}, 60_000);
	afterAll(() => hub?.stop());

	const getA = (path: string) => get(hub.origin, path, hostA);
	const getB = (path: string) => get(hub.origin, path, hostB);

	it('the split series: old dates up to the day before, new ones from it, each at its address', async () => {
		expect(oldPart.map((r) => r.occurrenceDate)).toEqual([0, 7, 14].map((d) => iso(new Date(Date.parse(`${first}T00:00:00Z`) + d * DAY))));
		expect(newPart).toHaveLength(3);
		expect(newPart.every((r) => r.title === 'Night Film (big hall)' && wallTime(r.startsAt, 'Europe/Berlin').hour === 21)).toBe(true);
		expect(oldPart.every((r) => r.title === 'Night Film' && wallTime(r.startsAt, 'Europe/Berlin').hour === 22)).toBe(true);
		const page = await getA('/events');
		for (const r of screenings) expect(page.body).toContain(`href="/events/${r.slug}"`);
		for (const r of newPart) expect((await getA(`/events/${r.slug}`)).body).toContain('Night Film (big hall)');
	});

	it('/events?tag= lists only that tag’s events, with chips; unknown or other sites’ tags are 404', async () => {
		const all = await getA('/events');
		expect(all.body).toContain('href="/events?tag=screening"');
		expect(all.body).toContain('href="/events?tag=talk"');
		expect(all.body).not.toContain('bravo-only');
		const screening = await getA('/events?tag=screening');
		expect(screening.status).toBe(200);
		expect(screening.body).toContain('Night Film');
		expect(screening.body).not.toContain('Zine talk');
		expect(screening.body).not.toContain('BRAVO');
		expect(screening.body).toContain('aria-current="page"');
		// A yellow chip carries black text (contrast), and links its calendar.
		expect(screening.body).toMatch(/background: #ffff00; color: #000000/);
		expect(screening.body).toContain('/events.ics?tag=screening');
		const talk = await getA('/events?tag=talk');
		expect(talk.body).toContain('Zine talk');
		expect(talk.body).not.toContain('Night Film');
		expect((await getA('/events?tag=bravo-only')).status).toBe(404);
		expect((await getA('/events?tag=nope')).status).toBe(404);
		expect((await getA('/events?tag=%3Cscript%3E')).status).toBe(404);
		// B's own tag with the same slug shows only B's events.
		const onB = await getB('/events?tag=screening');
		expect(onB.body).toContain('BRAVO screening');
		expect(onB.body).not.toContain('Night Film');
	});

	it('the per-tag calendar gives exactly the tag’s dates to ical.js and node-ical, across the DST change, overnight ends included', async () => {
		const r = await getA('/events.ics?tag=screening');
		expect(r.status).toBe(200);
		const expected = screenings
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
		const vevents = Object.values(nodeIcal.sync.parseICS(r.body)).filter((c): c is VEvent => c?.type === 'VEVENT');
		const viaNodeIcal = vevents
			.map((e) => ({ uid: e.uid, start: new Date(e.start).toISOString(), end: new Date(e.end!).toISOString() }))
			.sort((x, y) => x.start.localeCompare(y.start));
		expect(viaNodeIcal).toEqual(expected);
		// Overnight: every date ends at 01:00 local the next day, on both sides of the change.
		for (const e of screenings) {
			const end = wallTime(e.endsAt!, 'Europe/Berlin');
			expect([end.hour, (e.endsAt!.getTime() - e.startsAt.getTime()) / 3_600_000 <= 4]).toEqual([1, true]);
		}
		expect(
			new Set(oldPart.map((e) => e.startsAt.getUTCHours())).size + new Set(newPart.map((e) => e.startsAt.getUTCHours())).size
		).toBeGreaterThan(2);
		expect(vevents.filter((e) => e.status === 'CANCELLED').map((e) => e.uid)).toEqual([oldPart[1]!.id]);
		const talk = await getA('/events.ics?tag=talk');
		expect(talk.body).toContain('Zine talk');
		expect(talk.body).not.toContain('Night Film');
		expect((await getA('/events.ics?tag=bravo-only')).status).toBe(404);
	});

	it('the per-tag Atom feed', async () => {
		const r = await getA('/feed.xml?tag=talk');
		expect(r.status).toBe(200);
		expect(r.body).toContain('Zine talk');
		expect(r.body).not.toContain('Night Film');
		expect(r.body).toContain('/feed.xml?tag=talk');
		expect((await getA('/feed.xml?tag=bravo-only')).status).toBe(404);
		expect((await getA('/feed.xml')).body).toContain('Night Film');
	});

	it('a place page lists its upcoming events and links to OpenStreetMap; the event links to the place', async () => {
		const r = await getA('/places/kino-rex');
		expect(r.status).toBe(200);
		expect(r.body).toContain('Kino Rex');
		expect(r.body).toContain('Step-free entrance on the courtyard side');
		expect(r.body).toContain('https://www.openstreetmap.org/?mlat=52.486100&amp;mlon=13.431900');
		expect(r.body).not.toMatch(/tile\.openstreetmap|<iframe/);
		for (const e of screenings.filter((s) => s.status !== 'draft')) expect(r.body).toContain(`href="/events/${e.slug}"`);
		expect(r.body).not.toContain('Zine talk');
		const one = await getA(`/events/${newPart[0]!.slug}`);
		expect(one.body).toContain('href="/places/kino-rex"');
		expect(one.body).toContain('mlat=52.486100');
		const ld = jsonLd(one.body).find((d) => d['@type'] === 'Event')!;
		expect(ld.eventAttendanceMode).toBe('https://schema.org/OfflineEventAttendanceMode');
		expect((ld.location as Record<string, unknown>).geo).toEqual({ '@type': 'GeoCoordinates', latitude: 52.4861, longitude: 13.4319 });
		expect(ld.eventSchedule).toMatchObject({
			'@type': 'Schedule',
			repeatFrequency: 'P1W',
			byDay: 'https://schema.org/Friday',
			startTime: '21:00'
		});
		expect((await getA('/places/bravo-hall')).status).toBe(404);
		expect((await getA('/places/nope')).status).toBe(404);
		expect((await getB('/places/kino-rex')).status).toBe(404);
	});

	it('online events: the badge, attendance mode Online or Mixed, the link only from its time', async () => {
		const list = await getA('/events');
		expect(list.body).toMatch(/class="chip online[^"]*">Online</);
		const talk = await getA(`/events/zine-talk`);
		expect(talk.status).toBe(200);
		expect(talk.body).toContain('>Online<');
		expect(talk.body).toContain('1 hour before the start');
		expect(talk.body).not.toContain('meet.example/zine-talk');
		const talkLd = jsonLd(talk.body).find((d) => d['@type'] === 'Event')!;
		expect(talkLd.eventAttendanceMode).toBe('https://schema.org/OnlineEventAttendanceMode');
		expect(talkLd.location).toMatchObject({ '@type': 'VirtualLocation' });
		const studio = await getA('/events/open-studio');
		expect(studio.body).toContain('href="https://stream.example/studio"');
		const ld = jsonLd(studio.body).find((d) => d['@type'] === 'Event')!;
		expect(ld.eventAttendanceMode).toBe('https://schema.org/MixedEventAttendanceMode');
		expect(ld.location).toEqual([
			expect.objectContaining({ '@type': 'Place', name: 'Studio' }),
			{ '@type': 'VirtualLocation', url: 'https://stream.example/studio' }
		]);
	});

	it('the sitemap lists tag pages and place pages, none of another site', async () => {
		const map = await getA('/sitemap.xml');
		expect(map.body).toContain('/events?tag=screening</loc>');
		expect(map.body).toContain('/events?tag=talk</loc>');
		expect(map.body).toContain('/places/kino-rex</loc>');
		expect(map.body).not.toMatch(/bravo/i);
		const mapB = await getB('/sitemap.xml');
		expect(mapB.body).not.toContain('kino-rex');
		expect(mapB.body).toContain('/places/bravo-hall</loc>');
	});
});
