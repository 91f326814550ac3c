/**
 * iCalendar (RFC 5545) for a site's events, written by ical-generator (escaping, line folding)
 * with a VTIMEZONE from timezones-ical-library, so times read in the site's zone and stay right
 * across DST changes. `TZDate` makes ical-generator format wall times in that zone rather than in
 * the server's.
 *
 * UID is the event's id (stable across edits, slug and domain changes). No METHOD is set, so
 * DTSTAMP is the event's last change (RFC 5545 §3.8.7.2) and an unchanged calendar is
 * byte-identical, which keeps its ETag stable.
 */
import ical, { ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { TZDate } from '@date-fns/tz';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { plainTextBlocks } from '../markdown';
import { safeHref } from '../../safe-url';

/** VTIMEZONE text for a zone, or null for UTC / a zone the library does not know (times then stay UTC). */
function vtimezone(zone: string): string | null {
	const block = tzlib_get_ical_block(zone);
	return Array.isArray(block) && typeof block[0] === 'string' && block[0].includes('BEGIN:VTIMEZONE') ? block[0] : null;
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
		prodId: { company: 'Collective Hub', product: 'Public site', language: 'EN' },
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
		const at = (d: Date) => (zone ? new TZDate(d.getTime(), zone) : d);
		const url = eventUrl(e.slug);
		const description = [plainTextBlocks(e.description), url].filter(Boolean).join('\n\n');
		const ticket = safeHref(e.ticketUrl);
		calendar.createEvent({
			id: e.id,
			start: at(e.startsAt),
			// RFC 5545: an all-day event without DTEND lasts one day; a timed one without an end is a point.
			end: e.endsAt ? at(e.endsAt) : null,
			allDay: e.allDay,
			timezone: zone,
			stamp: e.updatedAt,
			created: e.createdAt,
			lastModified: e.updatedAt,
			summary: e.status === 'cancelled' ? `Cancelled: ${e.title}` : e.title,
			description: ticket ? `${description}\n\nTickets: ${ticket}` : description,
			location:
				e.venueName || e.venueAddress ? { title: e.venueName || e.venueAddress, address: e.venueName ? e.venueAddress : undefined } : null,
			url,
			status: e.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED
		});
	}
	return calendar;
}

export function calendarResponse(calendar: ICalCalendar, headers: Record<string, string>): Response {
	return new Response(calendar.toString(), {
		headers: { 'content-type': 'text/calendar; charset=utf-8', ...headers }
	});
}
