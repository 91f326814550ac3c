/**
 * Dates and numbers for the admin and the hub panel, in the signed-in person's language
 * (getLocale(): the request's on the server, the page's <html lang> in the browser) and the
 * site's time zone. Formatters are cached (see time.ts): building one per render is slow.
 */
import { formatter } from '$lib/time';
import { intlLocale } from '$lib/i18n';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';

const locale = (timeZone: string) => intlLocale(getLocale(), timeZone);

export function shortDateTime(iso: string | Date, timeZone: string): string {
	return formatter(locale(timeZone), timeZone, {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		hour: 'numeric',
		minute: '2-digit'
	}).format(new Date(iso));
}

/**
 * Date and time with the year and the zone, for checks that run on their own schedule:
 * "1 Mar 2026, 10:00 UTC", „1. März 2026, 11:00 MEZ“.
 */
const DATE_TIME_ZONE: Intl.DateTimeFormatOptions = {
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZoneName: 'short'
};
export function dateTimeWithZone(iso: string | Date, timeZone: string): string {
	return formatter(locale(timeZone), timeZone, DATE_TIME_ZONE).format(new Date(iso));
}

/** The day only, for all-day events: "Sat 24 Oct", „Sa., 24. Okt.“. */
export function shortDate(iso: string | Date, timeZone: string): string {
	return formatter(locale(timeZone), timeZone, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(iso));
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
function relative(loc: string): Intl.RelativeTimeFormat {
	let f = relativeFormats.get(loc);
	if (!f) relativeFormats.set(loc, (f = new Intl.RelativeTimeFormat(loc, { numeric: 'auto', style: 'short' })));
	return f;
}

/** "3 min ago", "yesterday", "12 Mar" — for activity feeds, in the person's language. */
export function relativeTime(iso: string | Date, timeZone: string, now = Date.now()): string {
	const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
	if (seconds < 60) return m.admin_time_just_now();
	const loc = locale(timeZone);
	if (seconds < 3600) return relative(loc).format(-Math.floor(seconds / 60), 'minute');
	if (seconds < 86_400) return relative(loc).format(-Math.floor(seconds / 3600), 'hour');
	if (seconds < 2 * 86_400) return relative(loc).format(-1, 'day');
	return formatter(loc, timeZone, { day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** A count with the person's digit grouping (1,234 · 1.234 · 1 234). */
const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(value: number): string {
	const loc = getLocale();
	let f = numberFormats.get(loc);
	if (!f) numberFormats.set(loc, (f = new Intl.NumberFormat(loc)));
	return f.format(value);
}
