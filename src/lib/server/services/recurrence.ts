/**
 * Recurrence rules for event series: the editor's "Repeats" fields ⇄ an RFC 5545 RRULE, the dates
 * a rule yields, and the rule in plain words.
 *
 * Rules are expanded by ical.js over *floating* wall-clock dates (no zone at all): a series is
 * "19:00 on every 2nd Friday" where the site is, so each date's instant is taken afterwards from
 * its own wall time in the site's timezone (instantFromWallTime). That makes DST a non-event for
 * the expansion: 19:00 stays 19:00 local on both sides of a change, whatever the library does with
 * zones. ical.js (Mozilla's, the parser in Thunderbird) was chosen over `rrule` (no release since
 * 2023, long-standing DST/TZID bugs in its issue tracker) and `rrule-temporal` (sound, but brings a
 * Temporal polyfill we would not otherwise need): it implements all of RFC 5545's BYxxx parts,
 * including BYSETPOS and negative BYDAY, and the project already uses it to check its calendars.
 */
import ICAL from 'ical.js';
import { z } from 'zod';
import { formatter } from '../../time';
import { intlLocale } from '../../i18n';
import { getLocale } from '../../paraglide/runtime';
import { m } from '../../paraglide/messages';
import { say } from '../input';
import { andList, weekdayName, WEEKDAY_CODES, type WeekdayCode } from '../../weekdays';

export const REPEAT_FREQUENCIES = ['none', 'weekly', 'monthly', 'yearly'] as const;
export type RepeatFrequency = (typeof REPEAT_FREQUENCIES)[number];
export const WEEKDAYS = WEEKDAY_CODES;
export type Weekday = WeekdayCode;
/** Monthly: on the same day of the month, on the same nth weekday, or on the last such weekday. */
export const MONTHLY_MODES = ['day', 'weekday', 'last'] as const;
export const REPEAT_ENDS = ['never', 'until', 'count'] as const;

/** The most occurrences one series materialises (a weekly rule on every weekday for a year is 365). */
export const MAX_OCCURRENCES = 400;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** An optional whole number from 1 to `max` ('' when the field is left empty). */
const optionalWholeNumber = (max: number) =>
	z
		.union([
			z.literal(''),
			z.coerce
				.number(say(m.site_admin_error_whole_number))
				.int(say(m.site_admin_error_whole_number))
				.min(
					1,
					say(() => m.site_admin_error_at_least({ min: 1 }))
				)
				.max(
					max,
					say(() => m.site_admin_error_at_most({ max }))
				)
		])
		.optional()
		.default('');

/** The editor's Repeats fields (all optional: a plain form without them is a one-off event). */
export const repeatFormSchema = z.object({
	repeat: z.enum(REPEAT_FREQUENCIES, say(m.site_admin_error_repeat)).optional().default('none'),
	repeatInterval: optionalWholeNumber(99),
	repeatWeekdays: z
		.union([z.enum(WEEKDAYS), z.array(z.enum(WEEKDAYS))])
		.optional()
		.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
	repeatMonthly: z.enum(MONTHLY_MODES, say(m.site_admin_error_monthly)).optional().default('day'),
	repeatEnds: z.enum(REPEAT_ENDS, say(m.site_admin_error_repeat_ends)).optional().default('never'),
	repeatUntil: z
		.union([z.literal(''), z.string().trim().regex(isoDate, say(m.site_admin_error_until_format))])
		.optional()
		.default(''),
	repeatCount: optionalWholeNumber(MAX_OCCURRENCES)
});
export type RepeatForm = z.output<typeof repeatFormSchema>;

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
export const addDays = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string) => Math.round(dayNumber(to) - dayNumber(from));

/** The weekday of a date ('2026-03-13' → 'FR'). */
export function weekdayOf(d: string): Weekday {
	return WEEKDAYS[(new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7]!;
}

/** Which of its weekday a date is in its month: 1..5, and whether it is the month's last one. */
export function weekdayPosition(d: string): { nth: number; last: boolean } {
	const day = Number(d.slice(8, 10));
	const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
	const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return { nth: Math.ceil(day / 7), last: day + 7 > daysInMonth };
}

const compact = (d: string) => d.replaceAll('-', '');

/** The RRULE for the form and first date, null for "does not repeat", or field errors. */
export function ruleFromForm(
	form: RepeatForm,
	firstDate: string
): { ok: true; rrule: string | null } | { ok: false; errors: Record<string, string> } {
	if (form.repeat === 'none') return { ok: true, rrule: null };
	const parts = [`FREQ=${form.repeat.toUpperCase()}`];
	const interval = form.repeatInterval === '' ? 1 : form.repeatInterval;
	if (interval > 1) parts.push(`INTERVAL=${interval}`);
	if (form.repeat === 'weekly') {
		const days = form.repeatWeekdays.length ? form.repeatWeekdays : [weekdayOf(firstDate)];
		parts.push(`BYDAY=${WEEKDAYS.filter((d) => days.includes(d)).join(',')}`);
	}
	if (form.repeat === 'monthly') {
		const weekday = weekdayOf(firstDate);
		if (form.repeatMonthly === 'day') parts.push(`BYMONTHDAY=${Number(firstDate.slice(8, 10))}`);
		else if (form.repeatMonthly === 'last') parts.push(`BYDAY=-1${weekday}`);
		else parts.push(`BYDAY=${weekdayPosition(firstDate).nth}${weekday}`);
	}
	if (form.repeatEnds === 'until') {
		if (!form.repeatUntil) return { ok: false, errors: { repeatUntil: m.site_admin_error_until_missing() } };
		if (form.repeatUntil < firstDate) return { ok: false, errors: { repeatUntil: m.site_admin_error_until_before() } };
		// UNTIL has DTSTART's value type (floating date-time) and is inclusive: the whole last day.
		parts.push(`UNTIL=${compact(form.repeatUntil)}T235959`);
	}
	if (form.repeatEnds === 'count') {
		if (form.repeatCount === '') return { ok: false, errors: { repeatCount: m.site_admin_error_count_missing() } };
		parts.push(`COUNT=${form.repeatCount}`);
	}
	return { ok: true, rrule: parts.join(';') };
}

/** A stored rule back as the editor's field values. */
export function formFromRule(rrule: string): Record<string, string | string[]> {
	const recur = ICAL.Recur.fromString(rrule);
	const byday = (recur.parts.BYDAY ?? []) as string[];
	const values: Record<string, string | string[]> = {
		repeat: recur.freq.toLowerCase(),
		repeatInterval: String(recur.interval ?? 1),
		repeatWeekdays: recur.freq === 'WEEKLY' ? byday : [],
		repeatMonthly: recur.parts.BYMONTHDAY ? 'day' : byday.some((d) => d.startsWith('-1')) ? 'last' : 'weekday',
		repeatEnds: recur.until ? 'until' : recur.count ? 'count' : 'never',
		repeatUntil: recur.until ? recur.until.toString().slice(0, 10) : '',
		repeatCount: recur.count ? String(recur.count) : ''
	};
	return values;
}

/**
 * The dates (yyyy-mm-dd, wall-clock in the site's zone) on which the rule yields an occurrence,
 * from `from` (default: the first date) up to `lastDate` inclusive, at most MAX_OCCURRENCES.
 * COUNT counts from the first date whatever the window, as RFC 5545 says.
 */
export function occurrenceDates(rrule: string, firstDate: string, lastDate: string, from = firstDate): string[] {
	const recur = ICAL.Recur.fromString(rrule);
	const start = ICAL.Time.fromDateTimeString(`${firstDate}T00:00:00`);
	const iterator = recur.iterator(start);
	const dates: string[] = [];
	for (let next = iterator.next(); next && dates.length < MAX_OCCURRENCES; next = iterator.next()) {
		const day = next.toString().slice(0, 10);
		if (day > lastDate) break;
		if (day >= from) dates.push(day);
	}
	return dates;
}

const NTH = [m.admin_rule_nth_1, m.admin_rule_nth_2, m.admin_rule_nth_3, m.admin_rule_nth_4, m.admin_rule_nth_5];

/** "the 2nd Friday", „zweiten Freitag“ (n = -1: the last one). */
export function nthWeekday(n: number, day: string): string {
	return (n === -1 ? m.admin_rule_nth_last : (NTH[n - 1] ?? m.admin_rule_nth_5))({ day });
}

/**
 * The rule in plain words, in the language of the request: "Every 2nd Friday of the month,
 * until 30 June 2027", „Jeden Monat am zweiten Freitag, bis 30. Juni 2027“.
 */
export function describeRule(rrule: string): string {
	const locale = intlLocale(getLocale(), 'UTC');
	const recur = ICAL.Recur.fromString(rrule);
	const interval = recur.interval ?? 1;
	const byday = (recur.parts.BYDAY ?? []) as string[];
	const dayName = (code: string) => (WEEKDAYS.includes(code as Weekday) ? weekdayName(code as Weekday, locale) : code);
	let text: string;
	if (recur.freq === 'WEEKLY') {
		const days = andList(byday.map(dayName), locale);
		text = interval > 1 ? m.admin_rule_weekly_n({ interval, days }) : m.admin_rule_weekly({ days });
	} else if (recur.freq === 'MONTHLY') {
		const day = recur.parts.BYMONTHDAY?.[0];
		const nth = /^(-?\d)([A-Z]{2})$/.exec(byday[0] ?? '');
		if (day) text = interval > 1 ? m.admin_rule_monthly_n_day({ interval, day }) : m.admin_rule_monthly_day({ day });
		else if (nth) {
			const which = nthWeekday(Number(nth[1]), dayName(nth[2]!));
			text = interval > 1 ? m.admin_rule_monthly_n_which({ interval, which }) : m.admin_rule_monthly_which({ which });
		} else text = interval > 1 ? m.admin_rule_monthly_n({ interval }) : m.admin_rule_monthly();
	} else {
		text = interval > 1 ? m.admin_rule_yearly_n({ interval }) : m.admin_rule_yearly();
	}
	if (recur.until) {
		const date = formatter(locale, 'UTC', { day: 'numeric', month: 'long', year: 'numeric' }).format(
			new Date(`${recur.until.toString().slice(0, 10)}T00:00:00Z`)
		);
		text = m.admin_rule_until({ rule: text, date });
	} else if (recur.count) text = m.admin_rule_times({ rule: text, count: recur.count });
	return text;
}

/** A real calendar date written yyyy-mm-dd (a URL's occurrence date). */
export function isIsoDate(value: unknown): value is string {
	return typeof value === 'string' && isoDate.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** What the editor's "Preview dates" shows: the rule in words and its first dates, in the person's language. */
export interface RepeatPreview {
	rule: string;
	dates: string[];
	/** More dates follow the ones listed. */
	more: boolean;
}

const PREVIEW_DATES = 5;

/**
 * The rule the repeat fields describe, in plain words, with its next dates (and the times typed),
 * or the fields' errors; null when nothing repeats or the first date is not a date yet.
 */
export function previewRule(
	form: RepeatForm,
	firstDate: string,
	times: { start: string; end: string }
): RepeatPreview | { errors: Record<string, string> } | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDate)) return null;
	const rule = ruleFromForm(form, firstDate);
	if (!rule.ok) return { errors: rule.errors };
	if (!rule.rrule) return null;
	const dates = occurrenceDates(rule.rrule, firstDate, addDays(firstDate, 3660)).slice(0, PREVIEW_DATES + 1);
	const locale = intlLocale(getLocale(), 'UTC');
	const day = formatter(locale, 'UTC', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
	const span = times.start ? (times.end ? ` · ${times.start}–${times.end}` : ` · ${times.start}`) : '';
	return {
		rule: describeRule(rule.rrule),
		dates: dates.slice(0, PREVIEW_DATES).map((d) => day.format(new Date(`${d}T00:00:00Z`)) + span),
		more: dates.length > PREVIEW_DATES
	};
}
