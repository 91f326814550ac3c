/**
 * How an event's time reads on the public site, in the site's time zone: one date or a range,
 * "All day" events whose stored end is the exclusive midnight after their last day, nights that
 * run past midnight, and zone abbreviations that change across a DST transition (CEST → CET).
 *
 * Every formatter comes from the per-(locale, zone, options) cache in ./time: building one per
 * render costs a 4× drop in page throughput (STACK-NOTES).
 */
import { formatter, memo, wallTime } from './time';
import { intlLocale } from './i18n';
import { getLocale } from './paraglide/runtime';
import { m } from './paraglide/messages';

export interface EventTiming {
	startsAt: Date;
	endsAt: Date | null;
	allDay: boolean;
}

/** The Intl locale for the language being rendered (a site's own) in this zone. */
function renderLocale(timeZone: string): string {
	return intlLocale(getLocale(), timeZone);
}

const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const SHORT_DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const TIME_ZONED: Intl.DateTimeFormatOptions = { ...TIME, timeZoneName: 'short' };
const DATE_TIME_ZONED: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', ...TIME_ZONED };

/** An all-day event ends at the midnight after its last day; one minute earlier is that last day. */
function lastDay(e: EventTiming): Date {
	if (!e.endsAt || e.endsAt.getTime() <= e.startsAt.getTime()) return e.startsAt;
	return new Date(e.endsAt.getTime() - 60_000);
}

function zoneName(f: Intl.DateTimeFormat, instant: Date): string {
	return f.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Ends before 06:00 on the next calendar day, less than 24 hours after it started. */
function isLateNight(start: Date, end: Date, timeZone: string): boolean {
	if (end.getTime() - start.getTime() >= 86_400_000) return false;
	const s = wallTime(start, timeZone);
	const e = wallTime(end, timeZone);
	const nextDay = new Date(Date.UTC(s.year, s.month - 1, s.day + 1));
	return e.year === nextDay.getUTCFullYear() && e.month === nextDay.getUTCMonth() + 1 && e.day === nextDay.getUTCDate() && e.hour < 6;
}

function sameLocalDate(a: Date, b: Date, timeZone: string): boolean {
	const x = wallTime(a, timeZone);
	const y = wallTime(b, timeZone);
	return x.year === y.year && x.month === y.month && x.day === y.day;
}

export interface EventWhen {
	/** The day or days: "Saturday 24 October 2026", "Sat 24 Oct – Mon 26 Oct 2026". */
	date: string;
	/** The hours: "20:00–23:00 CEST", "All day", or "" when `date` already carries them. */
	time: string;
	/** Both in one line, for feeds, calendars and page descriptions. */
	label: string;
	/** A compact line without the year, for cards beside a date badge: "Sat 24 Oct · 20:00–23:00 CEST". */
	short: string;
	/** The event covers more than one calendar day in the site's zone. */
	multiDay: boolean;
}

const whens = memo<Readonly<EventWhen>>(20_000);

/**
 * Formatted once per (language, Intl locale, zone, times) and reused: Intl formatting was about a
 * quarter of an uncached render (issue 24).
 */
export function describeWhen(e: EventTiming, timeZone: string, locale = renderLocale(timeZone)): Readonly<EventWhen> {
	const key = `${getLocale()}|${locale}|${timeZone}|${e.startsAt.getTime()}|${e.endsAt?.getTime() ?? ''}|${e.allDay ? 1 : 0}`;
	return whens(key, () => Object.freeze(formatWhen(e, timeZone, locale)));
}

function formatWhen(e: EventTiming, timeZone: string, locale: string): EventWhen {
	if (e.allDay) {
		const last = lastDay(e);
		if (sameLocalDate(e.startsAt, last, timeZone)) {
			const date = formatter(locale, timeZone, LONG_DATE).format(e.startsAt);
			const day = formatter(locale, timeZone, SHORT_DAY).format(e.startsAt);
			return { date, time: m.all_day(), label: m.all_day_label({ date }), short: `${day} · ${m.all_day()}`, multiDay: false };
		}
		const date = formatter(locale, timeZone, SHORT_DATE).formatRange(e.startsAt, last);
		const days = formatter(locale, timeZone, SHORT_DAY).formatRange(e.startsAt, last);
		return { date, time: m.all_day(), label: m.all_day_label({ date }), short: `${days} · ${m.all_day()}`, multiDay: true };
	}
	const day = formatter(locale, timeZone, SHORT_DAY).format(e.startsAt);
	if (!e.endsAt || e.endsAt.getTime() <= e.startsAt.getTime()) {
		const date = formatter(locale, timeZone, LONG_DATE).format(e.startsAt);
		const time = formatter(locale, timeZone, TIME_ZONED).format(e.startsAt);
		return { date, time, label: `${date}, ${time}`, short: `${day} · ${time}`, multiDay: false };
	}
	if (sameLocalDate(e.startsAt, e.endsAt, timeZone)) {
		const date = formatter(locale, timeZone, LONG_DATE).format(e.startsAt);
		const zoned = formatter(locale, timeZone, TIME_ZONED);
		// formatRange names the zone once even when the clocks change in between (01:30 EST – 04:00 EDT).
		const time =
			zoneName(zoned, e.startsAt) === zoneName(zoned, e.endsAt)
				? zoned.formatRange(e.startsAt, e.endsAt)
				: `${zoned.format(e.startsAt)} – ${zoned.format(e.endsAt)}`;
		return { date, time, label: `${date}, ${time}`, short: `${day} · ${time}`, multiDay: false };
	}
	if (isLateNight(e.startsAt, e.endsAt, timeZone)) {
		// A night out that ends in the small hours belongs to the day it starts: "Sat 28 Nov · 22:00 – 02:00 CET".
		const date = formatter(locale, timeZone, LONG_DATE).format(e.startsAt);
		const zoned = formatter(locale, timeZone, TIME_ZONED);
		const start =
			zoneName(zoned, e.startsAt) === zoneName(zoned, e.endsAt)
				? formatter(locale, timeZone, TIME).format(e.startsAt)
				: zoned.format(e.startsAt);
		const time = `${start} – ${zoned.format(e.endsAt)}`;
		return { date, time, label: `${date}, ${time}`, short: `${day} · ${time}`, multiDay: false };
	}
	const date = formatter(locale, timeZone, DATE_TIME_ZONED).formatRange(e.startsAt, e.endsAt);
	return { date, time: '', label: date, short: date, multiDay: true };
}

export interface DateBadge {
	weekday: string;
	day: string;
	month: string;
	/** Shown on the badge only when the event is not in the current year. */
	year: string;
}

/** The calendar-leaf badge of event cards, in the site's zone. */
const badges = memo<Readonly<DateBadge>>(20_000);

export function dateBadge(instant: Date, timeZone: string, locale = renderLocale(timeZone)): Readonly<DateBadge> {
	return badges(`${locale}|${timeZone}|${instant.getTime()}`, () => {
		const parts = formatter(locale, timeZone, SHORT_DATE).formatToParts(instant);
		const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
		return Object.freeze({ weekday: get('weekday'), day: get('day'), month: get('month'), year: get('year') });
	});
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * ISO 8601 in the site's zone with its offset at that instant ("2026-10-24T20:00:00+02:00"), for
 * <time datetime> and schema.org; all-day events are dates only ("2026-10-24").
 */
export function isoInZone(instant: Date, timeZone: string, dateOnly = false): string {
	const w = wallTime(instant, timeZone);
	const date = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
	if (dateOnly) return date;
	const offset = Math.round(
		(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000
	);
	const sign = offset < 0 ? '-' : '+';
	const abs = Math.abs(offset);
	return `${date}T${pad(w.hour)}:${pad(w.minute)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Start and end for machines (schema.org, <time>): all-day ends are the last day, inclusive. */
export function eventIsoRange(e: EventTiming, timeZone: string): { start: string; end: string | null } {
	if (e.allDay) return { start: isoInZone(e.startsAt, timeZone, true), end: e.endsAt ? isoInZone(lastDay(e), timeZone, true) : null };
	return { start: isoInZone(e.startsAt, timeZone), end: e.endsAt ? isoInZone(e.endsAt, timeZone) : null };
}

/** The year of an instant in a zone (to hide the year on badges of this year's events). */
export function yearIn(instant: Date, timeZone: string): number {
	return wallTime(instant, timeZone).year;
}
