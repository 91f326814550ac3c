/**
 * The calendar file as independent readers see it: ical.js (Thunderbird, many web apps) and
 * node-ical. Both must read every event at its real instant, including the hour that happens
 * twice when summer time ends, and the file must follow RFC 5545's grammar (calendar properties
 * before components, CRLF after every line including END:VCALENDAR).
 */
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import { buildCalendar, calendarText } from './calendar';
import type { EventRow } from '../queries/events';

const UPDATED = new Date('2026-01-01T12:00:00Z');

function row(id: string, startsAt: string, endsAt: string | null, extra: Partial<EventRow> = {}): EventRow {
	return {
		id,
		siteId: '00000000-0000-4000-8000-000000000000',
		slug: id,
		title: `Event ${id}`,
		description: '',
		startsAt: new Date(startsAt),
		endsAt: endsAt ? new Date(endsAt) : null,
		allDay: false,
		venueName: '',
		venueAddress: '',
		ticketUrl: null,
		imageAssetId: null,
		status: 'published',
		createdAt: UPDATED,
		updatedAt: UPDATED,
		...extra
	} as EventRow;
}

// Europe/Berlin leaves summer time on 2027-10-31: 03:00 CEST (01:00Z) becomes 02:00 CET, so
// 02:00-03:00 local happens twice (00:00Z-01:00Z in CEST, 01:00Z-02:00Z in CET).
const EVENTS = [
	row('first-pass', '2027-10-31T00:30:00Z', '2027-10-31T01:30:00Z'), // 02:30 CEST → 02:30 CET
	row('second-pass', '2027-10-31T01:15:00Z', '2027-10-31T02:15:00Z'), // 02:15 CET → 03:15 CET
	row('evening', '2027-10-30T18:00:00Z', '2027-10-31T04:00:00Z'), // 20:00 CEST → 05:00 CET
	row('spring', '2027-03-28T00:30:00Z', '2027-03-28T01:30:00Z'), // 01:30 CET → 03:30 CEST
	row('summer', '2027-07-01T17:00:00Z', null),
	row('festival', '2027-10-29T22:00:00Z', '2027-10-31T23:00:00Z', { allDay: true }) // Sat 30 + Sun 31
];

function text(zone = 'Europe/Berlin'): string {
	const calendar = buildCalendar(EVENTS, {
		site: { name: 'Film club', tagline: 'Films', timezone: zone },
		eventUrl: (slug) => `https://film.example/events/${slug}`,
		calendarUrl: 'https://film.example/events'
	});
	return calendarText(calendar);
}

describe('calendar file', () => {
	it('ends every line, END:VCALENDAR included, with CRLF and has no bare LF', () => {
		const ics = text();
		expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
		expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
	});

	it('puts every calendar property before the first component (RFC 5545 §3.6: icalbody = calprops component)', () => {
		const lines = text()
			.split('\r\n')
			.filter((l) => l && !l.startsWith(' '));
		let depth = 0;
		let seenComponent = false;
		const late: string[] = [];
		for (const line of lines) {
			if (line.startsWith('BEGIN:')) {
				depth++;
				if (depth > 1) seenComponent = true;
			} else if (line.startsWith('END:')) depth--;
			else if (depth === 1 && seenComponent) late.push(line);
		}
		expect(seenComponent).toBe(true);
		expect(late).toEqual([]);
		const head = lines.slice(
			0,
			lines.findIndex((l) => l === 'BEGIN:VTIMEZONE')
		);
		for (const name of ['REFRESH-INTERVAL', 'X-PUBLISHED-TTL', 'X-WR-TIMEZONE', 'X-WR-CALNAME']) {
			expect(head.some((l) => l.startsWith(name))).toBe(true);
		}
	});

	it('is read at the right instants by ical.js, DST nights included', () => {
		const root = new ICAL.Component(ICAL.parse(text()));
		for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
		const read = new Map(
			root.getAllSubcomponents('vevent').map((c) => {
				const e = new ICAL.Event(c);
				return [e.uid, e];
			})
		);
		for (const e of EVENTS.filter((x) => !x.allDay)) {
			const got = read.get(e.id)!;
			expect(got.startDate.toJSDate().toISOString(), e.id).toBe(e.startsAt.toISOString());
			if (e.endsAt) expect(got.endDate.toJSDate().toISOString(), e.id).toBe(e.endsAt.toISOString());
		}
		// Times outside the repeated hour keep the site's zone, so apps show them as the site means them.
		expect(read.get('evening')!.startDate.zone.tzid).toBe('Europe/Berlin');
		expect(read.get('summer')!.startDate.zone.tzid).toBe('Europe/Berlin');
		const festival = read.get('festival')!;
		expect([festival.startDate.isDate, festival.startDate.toString(), festival.endDate.toString()]).toEqual([
			true,
			'2027-10-30',
			'2027-11-01'
		]);
	});

	it('is read at the right instants by node-ical, DST nights included', () => {
		const parsed = nodeIcal.sync.parseICS(text());
		const events = Object.values(parsed).filter((c) => c?.type === 'VEVENT') as VEvent[];
		expect(events).toHaveLength(EVENTS.length);
		for (const e of EVENTS.filter((x) => !x.allDay)) {
			const got = events.find((x) => x.uid === e.id)!;
			expect(new Date(got.start!).toISOString(), e.id).toBe(e.startsAt.toISOString());
			if (e.endsAt) expect(new Date(got.end!).toISOString(), e.id).toBe(e.endsAt.toISOString());
		}
	});

	it('writes plain UTC for a UTC site', () => {
		const ics = text('UTC');
		expect(ics).not.toContain('VTIMEZONE');
		expect(ics).toContain('DTSTART:20271031T003000Z');
		expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
	});
});
