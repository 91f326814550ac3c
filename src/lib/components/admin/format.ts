/** Short date-times for admin lists, in the site's time zone (cached formatters, see time.ts). */
import { formatter } from '$lib/time';
import { intlLocale } from '$lib/i18n';

export function shortDateTime(iso: string, timeZone: string): string {
	return formatter(intlLocale('en', timeZone), timeZone, {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		hour: 'numeric',
		minute: '2-digit'
	}).format(new Date(iso));
}

/** The day only, for all-day events: "Sat 24 Oct". */
export function shortDate(iso: string, timeZone: string): string {
	return formatter(intlLocale('en', timeZone), timeZone, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(iso));
}

/** "3 min ago", "yesterday", "12 Mar" — for activity feeds. */
export function relativeTime(iso: string, timeZone: string, now = Date.now()): string {
	const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
	if (seconds < 60) return 'just now';
	if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
	if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
	if (seconds < 2 * 86_400) return 'yesterday';
	return formatter(intlLocale('en', timeZone), timeZone, { day: 'numeric', month: 'short' }).format(new Date(iso));
}
