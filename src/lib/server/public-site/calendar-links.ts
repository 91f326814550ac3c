/**
 * "Add to calendar" links for one event: Google Calendar and Outlook.com take the event in the
 * URL (their documented template/compose deep links); Apple Calendar and everything else open
 * the event's own .ics file. Timed events travel as UTC instants, so no app has to guess a zone;
 * all-day events as dates in the site's zone, end exclusive as both services expect.
 */
import type { EventRow } from '../queries/events';
import { isoInZone } from '../../event-time';
import { excerptOf } from '../rich-text';

export interface CalendarLinks {
	google: string;
	outlook: string;
	/** Same-site path of the event's .ics download. */
	ics: string;
}

const DAY = 86_400_000;

/** "2026-10-24" → "2026-10-25" (plain calendar arithmetic, no zone involved). */
function nextDate(date: string): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** The event's span: UTC instants for timed events, local dates (end exclusive) for all-day ones. */
function span(e: EventRow, timeZone: string): { allDay: boolean; start: string; end: string } {
	if (e.allDay) {
		const start = isoInZone(e.startsAt, timeZone, true);
		const end = e.endsAt && e.endsAt > e.startsAt ? isoInZone(e.endsAt, timeZone, true) : nextDate(start);
		return { allDay: true, start, end: end > start ? end : nextDate(start) };
	}
	// An event without an end is a point in time; both services accept end = start.
	const end = e.endsAt ?? e.startsAt;
	const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
	return { allDay: false, start: utc(e.startsAt), end: utc(end) };
}

export function calendarLinks(e: EventRow, timeZone: string, eventUrl: string): CalendarLinks {
	const s = span(e, timeZone);
	const details = [excerptOf(e.description, e, 600), eventUrl].filter(Boolean).join('\n\n');
	const location = [e.venueName, e.venueAddress].filter(Boolean).join(', ');
	const compact = (v: string) => v.replace(/[-:]/g, '');

	const google = new URL('https://calendar.google.com/calendar/render');
	google.searchParams.set('action', 'TEMPLATE');
	google.searchParams.set('text', e.title);
	google.searchParams.set('dates', `${compact(s.start)}/${compact(s.end)}`);
	if (s.allDay) google.searchParams.set('ctz', timeZone);
	google.searchParams.set('details', details);
	if (location) google.searchParams.set('location', location);

	const outlook = new URL('https://outlook.live.com/calendar/0/action/compose');
	outlook.searchParams.set('path', '/calendar/action/compose');
	outlook.searchParams.set('rru', 'addevent');
	outlook.searchParams.set('subject', e.title);
	outlook.searchParams.set('startdt', s.start);
	outlook.searchParams.set('enddt', s.end);
	outlook.searchParams.set('allday', String(s.allDay));
	outlook.searchParams.set('body', details);
	if (location) outlook.searchParams.set('location', location);

	return { google: google.href, outlook: outlook.href, ics: `/events/${e.slug}.ics` };
}

/** The site's calendar as a subscription link: `webcal:` makes phones and desktop apps subscribe rather than import once. */
export function webcalUrl(httpUrl: string): string {
	return httpUrl.replace(/^https?:/, 'webcal:');
}
