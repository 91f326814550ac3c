/**
 * iCalendar (RFC 5545) for a site's events, written by ical-generator (escaping, line folding)
 * with a VTIMEZONE from timezones-ical-library, so times read in the site's zone and stay right
 * across DST changes. `TZDate` makes ical-generator format wall times in that zone rather than in
 * the server's.
 *
 * A wall time in the hour that happens twice when clocks go back (02:30 on the last Sunday of
 * October in Berlin) cannot be told apart with TZID: RFC 5545 means the first pass, and ical.js
 * and node-ical read the second. Such events are written in UTC (`…Z`), which every reader gets
 * right; all other events keep TZID so apps show them in the site's zone.
 *
 * DESCRIPTION is the plain text of the event's stored HTML (rendered once, when it was saved):
 * a calendar request runs neither Markdown nor the sanitizer.
 *
 * UID is the event's id (stable across edits, slug and domain changes). No METHOD is set, so
 * DTSTAMP is the event's last change (RFC 5545 §3.8.7.2) and an unchanged calendar is
 * byte-identical, which keeps its ETag stable.
 */
import ical, { ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { TZDate, tzOffset } from '@date-fns/tz';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { calendarTextOf } from '../rich-text';
import { safeHref } from '../../safe-url';
import { m } from '../../paraglide/messages';
import { getLocale } from '../../paraglide/runtime';

/** VTIMEZONE text for a zone, or null for UTC / a zone the library does not know (times then stay UTC). */
function vtimezone(zone: string): string | null {
	const block = tzlib_get_ical_block(zone);
	return Array.isArray(block) && typeof block[0] === 'string' && block[0].includes('BEGIN:VTIMEZONE') ? block[0] : null;
}

/** True if the wall time of `at` in `zone` also names another instant (clocks went back nearby). */
export function isRepeatedWallTime(at: Date, zone: string): boolean {
	const own = tzOffset(zone, at);
	// Offsets in force a few hours either side cover every real transition (at most 2 h apart).
	for (const hours of [-3, 3]) {
		const other = tzOffset(zone, new Date(at.getTime() + hours * 3600_000));
		if (other === own) continue;
		const twin = new Date(at.getTime() + (own - other) * 60_000);
		if (tzOffset(zone, twin) === other) return true;
	}
	return false;
}

export interface CalendarOptions {
	site: Pick<SiteContext, 'name' | 'tagline' | 'timezone'>;
	/** Absolute URL of an event page on the primary host. */
	eventUrl: (slug: string) => string;
	/** Absolute URL of the events page (the calendar's URL). */
	calendarUrl: string;
}

export function buildCalendar(events: EventRow[], { site, eventUrl, calendarUrl }: CalendarOptions): ICalCalendar {
	const zone = site.timezone !== 'UTC' && vtimezone(site.timezone) ? site.timezone : null;
	const calendar = ical({
		name: site.name,
		description: site.tagline || undefined,
		prodId: { company: 'Collective Hub', product: 'Public site', language: getLocale().toUpperCase() },
		url: calendarUrl,
		// Subscribing apps poll about hourly.
		ttl: 3600
	});
	// Times carry TZID per event; the calendar itself has no zone name so DTSTAMP stays UTC.
	if (zone) {
		calendar.timezone({ name: null, generator: vtimezone });
		calendar.x('X-WR-TIMEZONE', zone);
	}

	for (const e of events) {
		const ambiguous = !e.allDay && zone && [e.startsAt, e.endsAt].some((d) => d && isRepeatedWallTime(d, zone));
		const eventZone = ambiguous ? null : zone;
		const at = (d: Date) => (eventZone ? new TZDate(d.getTime(), eventZone) : d);
		const url = eventUrl(e.slug);
		const description = [calendarTextOf(e.description, e), url].filter(Boolean).join('\n\n');
		const ticket = safeHref(e.ticketUrl);
		calendar.createEvent({
			id: e.id,
			start: at(e.startsAt),
			// RFC 5545: an all-day event without DTEND lasts one day; a timed one without an end is a point.
			end: e.endsAt ? at(e.endsAt) : null,
			allDay: e.allDay,
			timezone: eventZone,
			stamp: e.updatedAt,
			created: e.createdAt,
			lastModified: e.updatedAt,
			summary: e.status === 'cancelled' ? `${m.cancelled_prefix()}${e.title}` : e.title,
			description: ticket ? `${description}\n\nTickets: ${ticket}` : description,
			location:
				e.venueName || e.venueAddress ? { title: e.venueName || e.venueAddress, address: e.venueName ? e.venueAddress : undefined } : null,
			url,
			status: e.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED
		});
	}
	return calendar;
}

/**
 * The file's text. ical-generator writes REFRESH-INTERVAL and X-PUBLISHED-TTL after the VTIMEZONE
 * and x-properties after the events, and leaves END:VCALENDAR without its CRLF; RFC 5545 wants
 * `calprops` before any component and every content line ended by CRLF, and strict readers care.
 */
export function calendarText(calendar: ICalCalendar): string {
	// Logical lines: a folded line's continuations (leading space) travel with it.
	const lines: string[] = [];
	for (const physical of calendar.toString().split('\r\n')) {
		if (physical.startsWith(' ') && lines.length) lines[lines.length - 1] += '\r\n' + physical;
		else if (physical) lines.push(physical);
	}
	const head: string[] = [];
	const components: string[] = [];
	let depth = 0;
	for (const line of lines) {
		if (line.startsWith('BEGIN:')) depth++;
		if (depth <= 1 && !line.startsWith('END:VCALENDAR')) head.push(line);
		else if (depth > 1) components.push(line);
		if (line.startsWith('END:')) depth--;
	}
	return [...head, ...components, 'END:VCALENDAR'].join('\r\n') + '\r\n';
}

export function calendarResponse(calendar: ICalCalendar, headers: Record<string, string>): Response {
	return new Response(calendarText(calendar), {
		headers: { 'content-type': 'text/calendar; charset=utf-8', ...headers }
	});
}
