/** schema.org `Event` for an event page (https://schema.org/Event, Google's event guidelines). */
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { eventIsoRange } from '../../event-time';
import { safeHref } from '../../safe-url';
import { excerptOf } from '../rich-text';

/**
 * "Weserstraße 7, 12047 Berlin" → street, postal code and town. Split only when the last part
 * reads as "<postal code> <town>" (or "<town> <postal code>", as in the UK and US); anything else
 * stays one streetAddress rather than being guessed wrong.
 */
export function postalAddress(address: string): Record<string, string> {
	const parts = address
		.split(/,|\n/)
		.map((p) => p.trim())
		.filter(Boolean);
	const last = parts.at(-1) ?? '';
	const postalFirst = /^(\d{4,5}|[A-Z]{1,2}-\d{4,5})\s+(\S.*)$/.exec(last);
	const postalLast = /^(\S.*?)\s+(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$/.exec(last);
	if (parts.length < 2 || (!postalFirst && !postalLast)) return { '@type': 'PostalAddress', streetAddress: address.trim() };
	const [postalCode, locality] = postalFirst ? [postalFirst[1]!, postalFirst[2]!] : [postalLast![2]!, postalLast![1]!];
	return {
		'@type': 'PostalAddress',
		streetAddress: parts.slice(0, -1).join(', '),
		postalCode,
		addressLocality: locality
	};
}

/** Offline, Online or Mixed: an online link, a venue, or both. */
export function attendanceMode(row: Pick<EventRow, 'onlineUrl' | 'venueName' | 'venueAddress'>): string {
	const inPerson = !!(row.venueName || row.venueAddress);
	const mode = row.onlineUrl ? (inPerson ? 'Mixed' : 'Online') : 'Offline';
	return `https://schema.org/${mode}EventAttendanceMode`;
}

export function eventJsonLd(
	row: EventRow,
	site: Pick<SiteContext, 'name' | 'timezone'>,
	urls: { event: string; site: string; image: string | null; place?: string | null; online?: string | null },
	extra: { geo?: { latitude: number; longitude: number } | null; schedule?: Record<string, unknown> | null } = {}
): Record<string, unknown> {
	const range = eventIsoRange(row, site.timezone);
	const ticket = safeHref(row.ticketUrl);
	const physical = {
		'@type': 'Place',
		name: row.venueName || row.venueAddress || site.name,
		...(row.venueAddress ? { address: postalAddress(row.venueAddress) } : {}),
		...(urls.place ? { url: urls.place } : {}),
		...(extra.geo ? { geo: { '@type': 'GeoCoordinates', ...extra.geo } } : {})
	};
	// The link itself only once the page shows it; the virtual location is there either way.
	const virtual = { '@type': 'VirtualLocation', ...(urls.online ? { url: urls.online } : { url: urls.event }) };
	const mode = attendanceMode(row);
	const location = mode.endsWith('OnlineEventAttendanceMode')
		? virtual
		: mode.endsWith('MixedEventAttendanceMode')
			? [physical, virtual]
			: physical;
	return {
		'@context': 'https://schema.org',
		'@type': 'Event',
		name: row.title,
		startDate: range.start,
		...(range.end ? { endDate: range.end } : {}),
		eventStatus: row.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
		eventAttendanceMode: mode,
		location,
		...(extra.schedule ? { eventSchedule: extra.schedule } : {}),
		...(row.description ? { description: excerptOf(row.description, row, 500) } : {}),
		...(urls.image ? { image: [urls.image] } : {}),
		url: urls.event,
		organizer: { '@type': 'Organization', name: site.name, url: urls.site },
		...(ticket && /^https?:/.test(ticket) ? { offers: { '@type': 'Offer', url: ticket } } : {})
	};
}

/**
 * schema.org `Schedule` of a series (https://schema.org/eventSchedule): how often, on which days,
 * at what local time, in which zone. Each date's page is its own `Event`; this describes the series.
 */
export function seriesSchedule(
	series: { rrule: string; firstDate: string; startTime: string | null; endTime: string | null },
	timeZone: string
): Record<string, unknown> {
	const parts = Object.fromEntries(series.rrule.split(';').map((p) => p.split('=') as [string, string]));
	const unit = { WEEKLY: 'W', MONTHLY: 'M', YEARLY: 'Y', DAILY: 'D' }[parts.FREQ ?? ''] ?? 'W';
	const days: Record<string, string> = {
		MO: 'Monday',
		TU: 'Tuesday',
		WE: 'Wednesday',
		TH: 'Thursday',
		FR: 'Friday',
		SA: 'Saturday',
		SU: 'Sunday'
	};
	const byDay = (parts.BYDAY ?? '')
		.split(',')
		.map((d) => days[d.slice(-2)])
		.filter(Boolean)
		.map((d) => `https://schema.org/${d}`);
	const until = parts.UNTIL ? `${parts.UNTIL.slice(0, 4)}-${parts.UNTIL.slice(4, 6)}-${parts.UNTIL.slice(6, 8)}` : null;
	return {
		'@type': 'Schedule',
		repeatFrequency: `P${parts.INTERVAL ?? 1}${unit}`,
		...(byDay.length ? { byDay: byDay.length === 1 ? byDay[0] : byDay } : {}),
		...(parts.BYMONTHDAY ? { byMonthDay: Number(parts.BYMONTHDAY) } : {}),
		...(parts.BYDAY && /^-?\d/.test(parts.BYDAY) ? { byMonthWeek: Number(parts.BYDAY.slice(0, -2)) } : {}),
		startDate: series.firstDate,
		...(until ? { endDate: until } : {}),
		...(parts.COUNT ? { repeatCount: Number(parts.COUNT) } : {}),
		...(series.startTime ? { startTime: series.startTime } : {}),
		...(series.endTime ? { endTime: series.endTime } : {}),
		scheduleTimezone: timeZone
	};
}
