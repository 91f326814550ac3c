import { describe, expect, it } from 'vitest';
import { dateBadge, describeWhen, eventIsoRange, isoInZone } from './event-time';
import { intlLocale } from './i18n';
import { instantFromWallTime } from './time';

const at = (iso: string) => new Date(iso);
/** ICU puts thin and narrow no-break spaces around dashes and before AM/PM; compare them as spaces. */
const plain = <T extends object>(when: T): T =>
	Object.fromEntries(Object.entries(when).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\u2009\u202f\u00a0]/g, ' ') : v])) as T;
const wall = (zone: string, year: number, month: number, day: number, hour = 0, minute = 0) =>
	instantFromWallTime({ year, month, day, hour, minute }, zone);

describe('intlLocale', () => {
	it('uses a 12-hour clock in the US and 24-hour elsewhere', () => {
		expect(intlLocale('en', 'America/New_York')).toBe('en-US');
		expect(intlLocale('en', 'Europe/Berlin')).toBe('en-GB');
		expect(intlLocale('en', 'UTC')).toBe('en-GB');
		expect(intlLocale('de', 'America/New_York')).toBe('de');
	});
});

describe('describeWhen', () => {
	it('formats a timed evening event in the site zone, not the server zone', () => {
		// 18:30 UTC on 30 Nov is 13:30 in New York (EST) and 19:30 in Berlin (CET).
		const e = { startsAt: at('2026-11-30T18:30:00Z'), endsAt: at('2026-11-30T21:00:00Z'), allDay: false };
		const ny = plain(describeWhen(e, 'America/New_York'));
		expect(ny.date).toBe('Monday, November 30, 2026');
		expect(ny.time).toBe('1:30 – 4:00 PM EST');
		const berlin = plain(describeWhen(e, 'Europe/Berlin'));
		expect(berlin.date).toBe('Monday, 30 November 2026');
		expect(berlin.time).toBe('19:30–22:00 CET');
		expect(berlin.short).toBe('Mon 30 Nov · 19:30–22:00 CET');
		expect(berlin.multiDay).toBe(false);
	});

	it('uses summer and winter time on either side of the last Sunday of October', () => {
		// Europe/Berlin leaves CEST on 25 Oct 2026 at 03:00 local.
		const before = { startsAt: wall('Europe/Berlin', 2026, 10, 24, 20), endsAt: wall('Europe/Berlin', 2026, 10, 24, 23), allDay: false };
		const after = { startsAt: wall('Europe/Berlin', 2026, 10, 25, 20), endsAt: wall('Europe/Berlin', 2026, 10, 25, 23), allDay: false };
		expect(before.startsAt.toISOString()).toBe('2026-10-24T18:00:00.000Z');
		expect(after.startsAt.toISOString()).toBe('2026-10-25T19:00:00.000Z');
		expect(describeWhen(before, 'Europe/Berlin').time).toBe('20:00–23:00 CEST');
		expect(describeWhen(after, 'Europe/Berlin').time).toBe('20:00–23:00 CET');
	});

	it('shows both zone names for a night that spans the DST change', () => {
		// 22:00 CEST on 24 Oct until 06:00 CET on 25 Oct: nine real hours, eight on the clock.
		const e = { startsAt: at('2026-10-24T20:00:00Z'), endsAt: at('2026-10-25T05:00:00Z'), allDay: false };
		const when = plain(describeWhen(e, 'Europe/Berlin'));
		expect(when.multiDay).toBe(true);
		expect(when.date).toBe('Sat 24 Oct, 22:00 CEST – Sun 25 Oct, 06:00 CET');
		expect(when.time).toBe('');
	});

	it('keeps a night that ends in the small hours on the day it starts', () => {
		const e = { startsAt: wall('Europe/Berlin', 2026, 11, 28, 22), endsAt: wall('Europe/Berlin', 2026, 11, 29, 2), allDay: false };
		const when = plain(describeWhen(e, 'Europe/Berlin'));
		expect(when).toMatchObject({
			date: 'Saturday, 28 November 2026',
			time: '22:00 – 02:00 CET',
			short: 'Sat 28 Nov · 22:00 – 02:00 CET',
			multiDay: false
		});
		const marathon = {
			startsAt: wall('America/New_York', 2026, 12, 26, 12),
			endsAt: wall('America/New_York', 2026, 12, 27, 0),
			allDay: false
		};
		expect(plain(describeWhen(marathon, 'America/New_York')).time).toBe('12:00 PM – 12:00 AM EST');
		// Past 06:00 it is two days.
		const long = { startsAt: wall('Europe/Berlin', 2026, 11, 28, 22), endsAt: wall('Europe/Berlin', 2026, 11, 29, 7), allDay: false };
		expect(describeWhen(long, 'Europe/Berlin').multiDay).toBe(true);
	});

	it('handles the US spring-forward Sunday', () => {
		// America/New_York skips 02:00–03:00 on 8 March 2026.
		const e = { startsAt: wall('America/New_York', 2026, 3, 8, 1, 30), endsAt: wall('America/New_York', 2026, 3, 8, 4), allDay: false };
		expect(e.endsAt.getTime() - e.startsAt.getTime()).toBe(1.5 * 3_600_000);
		expect(plain(describeWhen(e, 'America/New_York')).time).toBe('1:30 AM EST – 4:00 AM EDT');
	});

	it('reads a one-day all-day event (exclusive end midnight) as that one day', () => {
		const e = { startsAt: wall('Europe/London', 2026, 6, 13), endsAt: wall('Europe/London', 2026, 6, 14), allDay: true };
		const when = plain(describeWhen(e, 'Europe/London'));
		expect(when.date).toBe('Saturday, 13 June 2026');
		expect(when.time).toBe('All day');
		expect(when.multiDay).toBe(false);
		expect(when.short).toBe('Sat 13 Jun · All day');
	});

	it('reads a multi-day all-day event up to its last day, inclusive', () => {
		// Two days: Sat 24 and Sun 25 Oct, with the DST change in between.
		const e = { startsAt: wall('Europe/Berlin', 2026, 10, 24), endsAt: wall('Europe/Berlin', 2026, 10, 26), allDay: true };
		const when = plain(describeWhen(e, 'Europe/Berlin'));
		expect(when.multiDay).toBe(true);
		expect(when.date).toBe('Sat, 24 Oct – Sun, 25 Oct 2026');
		expect(when.short).toBe('Sat 24 Oct – Sun 25 Oct · All day');
		expect(eventIsoRange(e, 'Europe/Berlin')).toEqual({ start: '2026-10-24', end: '2026-10-25' });
	});

	it('spans months and years', () => {
		const e = { startsAt: wall('UTC', 2026, 12, 30), endsAt: wall('UTC', 2027, 1, 3), allDay: true };
		expect(plain(describeWhen(e, 'UTC')).date).toBe('Wed, 30 Dec 2026 – Sat, 2 Jan 2027');
	});

	it('shows a start time alone when there is no end', () => {
		const e = { startsAt: at('2026-07-01T17:00:00Z'), endsAt: null, allDay: false };
		expect(describeWhen(e, 'Europe/London').time).toBe('18:00 BST');
	});
});

describe('isoInZone', () => {
	it('carries the offset in force at that instant', () => {
		expect(isoInZone(at('2026-10-24T18:00:00Z'), 'Europe/Berlin')).toBe('2026-10-24T20:00:00+02:00');
		expect(isoInZone(at('2026-10-25T19:00:00Z'), 'Europe/Berlin')).toBe('2026-10-25T20:00:00+01:00');
		expect(isoInZone(at('2026-11-29T00:30:00Z'), 'America/New_York')).toBe('2026-11-28T19:30:00-05:00');
		expect(isoInZone(at('2026-06-01T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-06-01T17:30:00+05:30');
		expect(isoInZone(at('2026-06-01T12:00:00Z'), 'UTC')).toBe('2026-06-01T12:00:00+00:00');
	});

	it('gives the local date for all-day events', () => {
		expect(isoInZone(at('2026-11-28T23:30:00Z'), 'Europe/Berlin', true)).toBe('2026-11-29');
	});
});

describe('dateBadge', () => {
	it('shows the local day, which may differ from the UTC day', () => {
		expect(dateBadge(at('2026-11-29T02:00:00Z'), 'America/New_York')).toEqual({ weekday: 'Sat', day: '28', month: 'Nov', year: '2026' });
		expect(dateBadge(at('2026-11-29T02:00:00Z'), 'Europe/Berlin')).toEqual({ weekday: 'Sun', day: '29', month: 'Nov', year: '2026' });
	});
});
