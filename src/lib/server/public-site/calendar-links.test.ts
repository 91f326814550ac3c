import { describe, expect, it } from 'vitest';
import { calendarLinks, webcalUrl } from './calendar-links';
import type { EventRow } from '../queries/events';

const base = {
	id: 'e1',
	slug: 'troll-2',
	title: 'Troll 2 & friends',
	description: 'A *bad* film.',
	venueName: 'Kino',
	venueAddress: 'Weserstraße 7, Berlin',
	allDay: false,
	endsAt: null
} as unknown as EventRow;

describe('calendar links', () => {
	it('puts a timed event into Google and Outlook as UTC instants', () => {
		const e = { ...base, startsAt: new Date('2027-10-31T00:30:00Z'), endsAt: new Date('2027-10-31T02:00:00Z') } as EventRow;
		const links = calendarLinks(e, 'Europe/Berlin', 'https://film.example/events/troll-2');
		const g = new URL(links.google);
		expect(g.origin + g.pathname).toBe('https://calendar.google.com/calendar/render');
		expect(g.searchParams.get('action')).toBe('TEMPLATE');
		expect(g.searchParams.get('text')).toBe('Troll 2 & friends');
		expect(g.searchParams.get('dates')).toBe('20271031T003000Z/20271031T020000Z');
		expect(g.searchParams.get('location')).toBe('Kino, Weserstraße 7, Berlin');
		expect(g.searchParams.get('details')).toBe('A bad film.\n\nhttps://film.example/events/troll-2');
		const o = new URL(links.outlook);
		expect(o.hostname).toBe('outlook.live.com');
		expect(o.searchParams.get('subject')).toBe('Troll 2 & friends');
		expect(o.searchParams.get('startdt')).toBe('2027-10-31T00:30:00Z');
		expect(o.searchParams.get('enddt')).toBe('2027-10-31T02:00:00Z');
		expect(o.searchParams.get('allday')).toBe('false');
		expect(links.ics).toBe('/events/troll-2.ics');
	});

	it('gives all-day events local dates with an exclusive end', () => {
		// Sat 30 and Sun 31 October in Berlin: midnights local.
		const e = {
			...base,
			allDay: true,
			startsAt: new Date('2027-10-29T22:00:00Z'),
			endsAt: new Date('2027-10-31T23:00:00Z')
		} as EventRow;
		const links = calendarLinks(e, 'Europe/Berlin', 'https://film.example/events/troll-2');
		expect(new URL(links.google).searchParams.get('dates')).toBe('20271030/20271101');
		const o = new URL(links.outlook).searchParams;
		expect([o.get('startdt'), o.get('enddt'), o.get('allday')]).toEqual(['2027-10-30', '2027-11-01', 'true']);
		const single = calendarLinks({ ...e, endsAt: null } as EventRow, 'Europe/Berlin', 'u');
		expect(new URL(single.google).searchParams.get('dates')).toBe('20271030/20271031');
	});

	it('turns the feed URL into a webcal: subscription', () => {
		expect(webcalUrl('https://film.example/events.ics')).toBe('webcal://film.example/events.ics');
		expect(webcalUrl('http://film.localhost:5173/events.ics')).toBe('webcal://film.localhost:5173/events.ics');
	});
});
