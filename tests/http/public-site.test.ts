/**
 * The public site over real HTTP with real Host headers, for two sites in one database: each shows
 * its own content and theme and nothing of the other; drafts appear nowhere (home, events, pages,
 * sitemap, feed, calendars); the calendar and feeds parse with independent parsers; JSON-LD,
 * sitemap, caching headers, XSS, the themed 404 and the paused page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import ICAL from 'ical.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { get, request, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createPage, createSite, superAdmin } from '../support/factories';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { setSiteStatus } from '../../src/lib/server/services/sites';
import { saveHome } from '../../src/lib/server/queries/home';
import { addNavLink, addSocialLink } from '../../src/lib/server/queries/links';
import { instantFromWallTime } from '../../src/lib/time';
import type { EventRow } from '../../src/lib/server/queries/events';

const DAY = 86_400_000;
const berlin = (y: number, m: number, d: number, h = 0, min = 0) =>
	instantFromWallTime({ year: y, month: m, day: d, hour: h, minute: min }, 'Europe/Berlin');
const newYork = (y: number, m: number, d: number, h = 0, min = 0) =>
	instantFromWallTime({ year: y, month: m, day: d, hour: h, minute: min }, 'America/New_York');

/** The next last-Sunday-of-October after today (Europe/Berlin and EU leave summer time that night). */
function nextOctoberChange(): { year: number; day: number } {
	const now = new Date();
	for (let year = now.getUTCFullYear(); ; year++) {
		const lastSunday = 31 - new Date(Date.UTC(year, 9, 31)).getUTCDay();
		if (Date.UTC(year, 9, lastSunday) > now.getTime() + 2 * DAY) return { year, day: lastSunday };
	}
}
/** Calendar date `days` after y-m-d, as numbers and as YYYY-MM-DD. */
function plusDays(y: number, m: number, d: number, days: number) {
	const t = new Date(Date.UTC(y, m - 1, d + days));
	return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), iso: t.toISOString().slice(0, 10) };
}
/** The next second Sunday of March (US clocks spring forward). */
function nextMarchChange(): { year: number; day: number } {
	const now = new Date();
	for (let year = now.getUTCFullYear(); ; year++) {
		const firstSunday = 1 + ((7 - new Date(Date.UTC(year, 2, 1)).getUTCDay()) % 7);
		if (Date.UTC(year, 2, firstSunday + 7) > now.getTime() + 2 * DAY) return { year, day: firstSunday + 7 };
	}
}

describe.runIf(inject('templateDatabase'))('public site', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let hostA: string;
	let hostB: string;
	const A = { host: 'film-club.example' } as { host: string; id: string; slug: string };
	const B = {} as { id: string; slug: string };
	const ev: Record<string, EventRow> = {};
	const oct = nextOctoberChange();
	const mar = nextMarchChange();
	const LONG = 'This description is deliberately long so that its line in the calendar file has to be folded: '.repeat(3);

	beforeAll(async () => {
		const a = await createSite({
			slug: 'film-club',
			name: 'Alpha Film Club',
			tagline: 'Films for everyone',
			description: 'Alpha screens films in Berlin.',
			timezone: 'Europe/Berlin',
			theme: { mode: 'dark', accent: '#f5c518', background: '#16131c', headingFont: 'didone' }
		});
		Object.assign(A, { id: a.id, slug: a.slug });
		const domain = await createDomain(a.id, A.host, true);
		await setPrimaryDomain(a.id, domain.id);
		await saveHome(a.id, {
			heroTitle: 'Alpha hero title',
			heroText: 'Alpha hero text',
			intro: 'Alpha **intro** text.',
			showEvents: true,
			showLinks: true
		});
		await addNavLink(a.id, { label: 'Alpha about', url: '/about-alpha' });
		await addNavLink(a.id, { label: 'Sneaky nav', url: 'javascript:alert(1)' });
		await addSocialLink(a.id, { platform: 'mastodon', url: 'https://social.example/@alpha' });

		const b = await createSite({
			slug: 'zine-lab',
			name: 'Beta Zine Lab',
			tagline: 'Cut and paste',
			timezone: 'America/New_York',
			theme: { mode: 'light', accent: '#0b7a75', background: '#f4f7f5', bodyFont: 'serif' }
		});
		Object.assign(B, { id: b.id, slug: b.slug });
		await saveHome(b.id, { heroTitle: 'Beta hero title', heroText: '', intro: 'Beta intro.', showEvents: true, showLinks: false });

		const soon = Date.now() + 3 * DAY;
		ev.aPublished = await createEvent(a, {
			slug: 'alpha-premiere',
			title: 'Alpha premiere',
			startsAt: new Date(soon),
			endsAt: new Date(soon + 2 * 3600_000),
			venueName: 'Kino Alpha',
			venueAddress: 'Weserstraße 7, 12047 Berlin',
			description: 'A *good* night.'
		});
		ev.aDraft = await createEvent(a, {
			slug: 'alpha-secret',
			title: 'Alpha secret draft',
			status: 'draft',
			startsAt: new Date(soon + DAY)
		});
		ev.aCancelled = await createEvent(a, {
			slug: 'alpha-rooftop',
			title: 'Alpha rooftop',
			status: 'cancelled',
			startsAt: new Date(soon + 2 * DAY)
		});
		// Crosses the end of summer time: 20:00 CEST on Saturday to 05:00 CET on Sunday (02:00-03:00 happens twice).
		ev.aDst = await createEvent(a, {
			slug: 'alpha-long-night',
			title: 'Long night; films, friends\nand more',
			description: `Doors open at 8, see you there; bring snacks, blankets.\n\n${LONG}`,
			startsAt: berlin(oct.year, 10, oct.day - 1, 20, 0),
			endsAt: berlin(oct.year, 10, oct.day, 5, 0),
			venueName: 'Hof 7, back yard',
			venueAddress: 'Weserstraße 7; Berlin'
		});
		// An all-day, two-day event.
		const monday = plusDays(oct.year, 10, oct.day, 1);
		ev.aFestival = await createEvent(a, {
			slug: 'alpha-festival',
			title: 'Alpha festival',
			allDay: true,
			startsAt: berlin(oct.year, 10, oct.day - 1),
			endsAt: berlin(monday.y, monday.m, monday.d)
		});
		ev.aXss = await createEvent(a, {
			slug: 'alpha-xss',
			title: 'Tricky </script><script>alert("t")</script> title',
			description:
				'Hi <script>alert("s")</script> <img src=x onerror="alert(\'i\')"> [click](javascript:alert("l")) <a href="javascript:alert(\'a\')">a</a> ]]> and ]]> again',
			ticketUrl: 'javascript:alert("ticket")',
			startsAt: new Date(soon + 5 * DAY)
		});
		// Thirteen past events: two pages of archive (12 a page).
		for (let i = 1; i <= 13; i++) {
			const start = new Date(Date.now() - i * 7 * DAY);
			ev[`aPast${i}`] = await createEvent(a, {
				slug: `alpha-past-${i}`,
				title: `Alpha past ${i}`,
				startsAt: start,
				endsAt: new Date(start.getTime() + 3600_000)
			});
		}
		await createPage(a, { slug: 'about-alpha', title: 'About Alpha', body: 'We are **Alpha**.', showInNav: false });
		await createPage(a, { slug: 'alpha-draft-page', title: 'Alpha draft page', body: 'Not yet.', published: false });

		ev.bPublished = await createEvent(b, {
			slug: 'beta-workshop',
			title: 'Beta workshop',
			startsAt: new Date(soon),
			description: 'Beta things.'
		});
		ev.bDraft = await createEvent(b, { slug: 'beta-draft', title: 'Beta draft event', status: 'draft', startsAt: new Date(soon) });
		// Crosses the US spring-forward night: 23:00 EST to 05:00 EDT, six hours on the clock, five real ones.
		ev.bDst = await createEvent(b, {
			slug: 'beta-all-nighter',
			title: 'Beta all-nighter',
			startsAt: newYork(mar.year, 3, mar.day - 1, 23),
			endsAt: newYork(mar.year, 3, mar.day, 5)
		});
		await createPage(b, { slug: 'beta-page', title: 'Beta page', body: 'Beta page body.' });

		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
		hostA = `${A.host}:${hub.port}`;
		hostB = `${B.slug}.hub.test:${hub.port}`;
	});
	afterAll(() => hub?.stop());

	const getA = (path: string, headers: Record<string, string> = {}) => get(hub.origin, path, hostA, headers);
	const getB = (path: string, headers: Record<string, string> = {}) => get(hub.origin, path, hostB, headers);

	describe('each site shows its own content and theme, never the other’s', () => {
		it('home pages', async () => {
			const a = await getA('/');
			const b = await getB('/');
			expect([a.status, b.status]).toEqual([200, 200]);
			expect(a.body).toContain('Alpha hero title');
			expect(a.body).toContain('Alpha <strong>intro</strong> text.');
			expect(a.body).toContain('Alpha premiere');
			expect(a.body).toContain('--accent:#f5c518');
			expect(a.body).toContain('https://social.example/@alpha');
			expect(b.body).toContain('Beta hero title');
			expect(b.body).toContain('Beta workshop');
			expect(b.body).toContain('--accent:#0b7a75');
			for (const other of ['Beta', 'beta-', '#0b7a75']) expect(a.body).not.toContain(other);
			for (const other of ['Alpha', 'alpha-', '#f5c518', 'social.example']) expect(b.body).not.toContain(other);
		});

		it('events pages', async () => {
			const a = await getA('/events');
			const b = await getB('/events');
			expect(a.body).toContain('Alpha premiere');
			expect(a.body).not.toContain('Beta');
			expect(b.body).toContain('Beta workshop');
			expect(b.body).not.toContain('Alpha');
		});

		it('another site’s event and page slugs are 404 on the themed page of this site', async () => {
			for (const path of ['/events/beta-workshop', '/beta-page', '/events/beta-workshop.ics']) {
				const r = await getA(path);
				expect(r.status, path).toBe(404);
				expect(r.body).not.toContain('Beta');
			}
			const page = await getA('/beta-page');
			expect(page.body).toContain('--accent:#f5c518');
			expect(page.body).toContain('Alpha Film Club');
			expect(page.body).toContain('Page not found');
			for (const path of ['/events/alpha-premiere', '/about-alpha', '/events/alpha-premiere.ics']) {
				const r = await getB(path);
				expect(r.status, path).toBe(404);
				expect(r.body).not.toContain('Alpha');
			}
		});

		it('unknown deeper paths get the site’s themed 404 too', async () => {
			const r = await getB('/no/such/thing');
			expect(r.status).toBe(404);
			expect(r.body).toContain('--accent:#0b7a75');
			expect(r.body).toContain('Beta Zine Lab');
		});
	});

	describe('drafts are visible nowhere', () => {
		const draftMarks = ['Alpha secret draft', 'alpha-secret', 'Alpha draft page', 'alpha-draft-page'];
		for (const path of [
			'/',
			'/events',
			'/events?page=2',
			'/sitemap.xml',
			'/feed.xml',
			'/events.ics',
			'/about-alpha',
			'/events/alpha-premiere'
		]) {
			it(path, async () => {
				const r = await getA(path);
				expect(r.status).toBe(200);
				for (const mark of draftMarks) expect(r.body).not.toContain(mark);
			});
		}
		it('draft event and page URLs answer 404', async () => {
			expect((await getA('/events/alpha-secret')).status).toBe(404);
			expect((await getA('/events/alpha-secret.ics')).status).toBe(404);
			expect((await getA('/alpha-draft-page')).status).toBe(404);
			expect((await getB('/events/beta-draft')).status).toBe(404);
		});
	});

	describe('events', () => {
		it('lists upcoming events soonest first and marks cancelled ones', async () => {
			const body = (await getA('/events')).body;
			const upcoming = body.slice(body.indexOf('id="upcoming"'), body.indexOf('id="past"'));
			const order = ['Alpha premiere', 'Alpha rooftop', 'Tricky'].map((t) => upcoming.indexOf(t));
			expect(order.every((i) => i > 0)).toBe(true);
			expect([...order].sort((x, y) => x - y)).toEqual(order);
			expect(upcoming).toMatch(/Cancelled: <\/span>(<!--[^>]*-->)*Alpha rooftop/);
			expect(upcoming).toContain('class="tag cancelled"');
		});

		it('pages the past-event archive and validates ?page', async () => {
			const first = (await getA('/events')).body;
			expect(first).toContain('Alpha past 1<');
			expect(first).toContain('Alpha past 12<');
			expect(first).not.toContain('Alpha past 13<');
			const second = await getA('/events?page=2');
			expect(second.status).toBe(200);
			expect(second.body).toContain('Alpha past 13<');
			expect(second.body).not.toContain('Alpha past 12<');
			expect(second.body).toContain(`<link rel="canonical" href="http://${hostA}/events?page=2"/>`);
			for (const bad of ['0', '-1', 'abc', '1.5', '2e1', '']) expect((await getA(`/events?page=${bad}`)).status, bad).toBe(400);
			expect((await getA('/events?page=3')).status).toBe(404);
		});

		it('shows times in the site’s zone with the right DST abbreviation', async () => {
			const body = (await getA('/events/alpha-long-night')).body.replace(/[\u2009\u202f]/g, ' ');
			expect(body).toContain('20:00 CEST');
			expect(body).toContain('05:00 CET');
			const festival = (await getA('/events/alpha-festival')).body.replace(/[\u2009\u202f]/g, ' ');
			expect(festival).toContain('All day');
			expect(festival).toMatch(new RegExp(`${oct.day - 1} Oct – Sun, ${oct.day} Oct ${oct.year}`));
		});
	});

	describe('rich text and links render inert', () => {
		it('event page', async () => {
			const r = await getA('/events/alpha-xss');
			expect(r.status).toBe(200);
			const html = r.body;
			// Everything outside the JSON-LD block and the share button's own file: no script elements, no handlers, no javascript: URLs.
			const shareScript = /<script src="\/share\.js" defer(="")?><\/script>/g;
			expect(html.match(shareScript)).toHaveLength(1);
			const outsideJsonLd = html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '').replace(shareScript, '');
			expect(outsideJsonLd).not.toMatch(/<script/i);
			expect(html).not.toMatch(/\son[a-z]+\s*=/i);
			expect(html).not.toMatch(/javascript:/i);
			expect(html).toContain('Tricky &lt;/script>&lt;script>alert("t")&lt;/script> title');
			expect(html).not.toContain('Get tickets');
		});

		it('navigation drops javascript: links', async () => {
			const html = (await getA('/')).body;
			expect(html).toContain('href="/about-alpha"');
			expect(html).not.toContain('Sneaky nav');
		});
	});

	describe('head: title, description, canonical, Open Graph, JSON-LD', () => {
		it('event page carries schema.org Event JSON-LD that parses', async () => {
			const html = (await getA('/events/alpha-long-night')).body;
			const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
			expect(scripts).toHaveLength(1);
			const data = JSON.parse(scripts[0]![1]!);
			expect(data['@type']).toBe('Event');
			expect(data.name).toBe('Long night; films, friends\nand more');
			expect(new Date(data.startDate).toISOString()).toBe(ev.aDst!.startsAt.toISOString());
			expect(data.startDate).toMatch(/T20:00:00\+02:00$/);
			expect(data.endDate).toMatch(/T05:00:00\+01:00$/);
			expect(data.location).toEqual({
				'@type': 'Place',
				name: 'Hof 7, back yard',
				address: { '@type': 'PostalAddress', streetAddress: 'Weserstraße 7; Berlin' }
			});
			expect(data.url).toBe(`http://${hostA}/events/alpha-long-night`);
			expect(data.eventStatus).toBe('https://schema.org/EventScheduled');
		});

		it('JSON-LD splits an address that reads as street, postal code and town', async () => {
			const html = (await getA('/events/alpha-premiere')).body;
			const data = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!);
			expect(data.location.address).toEqual({
				'@type': 'PostalAddress',
				streetAddress: 'Weserstraße 7',
				postalCode: '12047',
				addressLocality: 'Berlin'
			});
			expect(data.organizer).toEqual({ '@type': 'Organization', name: 'Alpha Film Club', url: `http://${hostA}/` });
		});

		it('a site with no image at all shares a card in its colours; the hub landing has Open Graph tags', async () => {
			const html = (await getB('/')).body;
			const image = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1];
			expect(image).toMatch(new RegExp(`^http://${hostB.replace(/\./g, '\\.')}(:\\d+)?/og-image\\.png\\?v=[0-9a-f]+$`));
			const card = await request(hub.origin, new URL(image!).pathname + new URL(image!).search, hostB);
			expect(card.status).toBe(200);
			expect(card.headers['content-type']).toBe('image/png');
			const meta = await sharp(card.buffer).metadata();
			expect([meta.width, meta.height]).toEqual([1200, 630]);
			const landing = (await get(hub.origin, '/', 'hub.test')).body;
			for (const tag of ['og:title', 'og:description', 'og:url', 'og:image']) expect(landing, tag).toContain(`property="${tag}"`);
			const favicon = await request(hub.origin, '/favicon.ico', hostB);
			expect(favicon.status).toBe(200);
			expect(favicon.buffer.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
		});

		it('a title with </script> stays inside the JSON-LD and parses back', async () => {
			const html = (await getA('/events/alpha-xss')).body;
			const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!;
			expect(JSON.parse(block).name).toBe('Tricky </script><script>alert("t")</script> title');
			expect(
				JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec((await getA('/events/alpha-rooftop')).body)![1]!)
					.eventStatus
			).toBe('https://schema.org/EventCancelled');
		});

		it('every page has a title, description, canonical URL on the primary host and OG tags', async () => {
			for (const path of ['/', '/events', '/events/alpha-premiere', '/about-alpha']) {
				const html = (await getA(path)).body;
				expect(html, path).toMatch(/<title>[^<]*Alpha Film Club[^<]*<\/title>/);
				expect(html, path).toMatch(/<meta name="description" content="[^"]+"/);
				expect(html, path).toContain(`<link rel="canonical" href="http://${hostA}${path}"/>`);
				expect(html, path).toContain(`<meta property="og:url" content="http://${hostA}${path}"/>`);
				expect(html, path).toMatch(/<meta property="og:title" content="[^"]+"/);
				expect(html, path).toMatch(/<meta name="twitter:card" content="summary/);
			}
			// The subdomain of a site with a custom primary domain is not canonical: it redirects there.
			const r = await get(hub.origin, '/events', `${A.slug}.hub.test:${hub.port}`);
			expect(r.status).toBe(301);
			expect(r.headers.location).toBe(`http://${hostA}/events`);
		});
	});

	describe('sitemap and robots', () => {
		it('sitemap is valid XML listing only public URLs on the primary host', async () => {
			const r = await getA('/sitemap.xml');
			expect(r.headers['content-type']).toMatch(/^application\/xml/);
			expect(XMLValidator.validate(r.body)).toBe(true);
			const doc = new XMLParser({ isArray: (name) => name === 'url' }).parse(r.body);
			const locs: string[] = doc.urlset.url.map((u: { loc: string }) => u.loc);
			expect(locs.every((l) => l.startsWith(`http://${hostA}/`))).toBe(true);
			const paths = locs.map((l) => new URL(l).pathname);
			expect(paths).toContain('/');
			expect(paths).toContain('/events');
			expect(paths).toContain('/about-alpha');
			expect(paths).toContain('/events/alpha-premiere');
			expect(paths).toContain('/events/alpha-rooftop');
			expect(paths).toContain('/events/alpha-past-13');
			expect(paths).not.toContain('/events/alpha-secret');
			expect(paths).not.toContain('/alpha-draft-page');
			expect(paths.some((p) => p.includes('beta'))).toBe(false);
			expect(new Set(paths).size).toBe(paths.length);
			// 2 fixed + 1 published page + every public event of the site.
			expect(paths).toHaveLength(2 + 1 + 5 + 13);
		});

		it('robots.txt points at the sitemap on the primary host', async () => {
			const r = await getB('/robots.txt');
			expect(r.status).toBe(200);
			expect(r.body).toContain(`Sitemap: http://${hostB}/sitemap.xml`);
		});
	});

	describe('Atom feed', () => {
		it('parses and lists the site’s public events only', async () => {
			const r = await getA('/feed.xml');
			expect(r.headers['content-type']).toMatch(/^application\/atom\+xml/);
			expect(XMLValidator.validate(r.body)).toBe(true);
			const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(r.body).feed;
			const titles: string[] = feed.entry.map((e: { title: string | { '#text': string } }) =>
				typeof e.title === 'string' ? e.title : e.title['#text']
			);
			expect(titles).toContain('Alpha premiere');
			expect(titles).toContain('Cancelled: Alpha rooftop');
			expect(titles.some((t) => t.includes('secret') || t.includes('Beta'))).toBe(false);
			const ids: string[] = feed.entry.map((e: { id: string }) => e.id);
			expect(ids).toContain(`urn:uuid:${ev.aPublished!.id}`);
			// Titles are type="html": markup in an event title arrives escaped, shown as typed.
			const tricky = titles.find((t) => t.startsWith('Tricky'))!;
			expect(tricky).toBe('Tricky &lt;/script&gt;&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; title');
			expect(r.body).not.toMatch(/<script|onerror=|javascript:/i);
		});
	});

	describe('iCalendar (parsed with ical.js)', () => {
		function parse(text: string) {
			const root = new ICAL.Component(ICAL.parse(text));
			// Register the file's own VTIMEZONEs: instants are then computed from its rules, not from ours.
			for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
			return { root, events: root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c)) };
		}

		it('is a valid calendar of upcoming and recent public events of this site only', async () => {
			const r = await getA('/events.ics');
			expect(r.status).toBe(200);
			expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
			const { root, events } = parse(r.body);
			expect(root.getFirstPropertyValue('version')).toBe('2.0');
			const uids = events.map((e) => e.uid).sort();
			// Published and cancelled events from 90 days back: 5 upcoming + past weeks 1..12 (84 days).
			const expected = ['aPublished', 'aCancelled', 'aDst', 'aFestival', 'aXss', ...Array.from({ length: 12 }, (_, i) => `aPast${i + 1}`)]
				.map((k) => ev[k]!.id)
				.sort();
			expect(uids).toEqual(expected);
			expect(r.body).not.toContain('Beta');
			for (const e of events) expect(e.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
		});

		it('keeps instants right across the end of summer time (Europe/Berlin)', async () => {
			const { events, root } = parse((await getA('/events.ics')).body);
			expect(root.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
			const night = events.find((e) => e.uid === ev.aDst!.id)!;
			expect(night.startDate.zone.tzid).toBe('Europe/Berlin');
			expect([night.startDate.hour, night.endDate.hour]).toEqual([20, 5]);
			expect(night.startDate.toJSDate().toISOString()).toBe(ev.aDst!.startsAt.toISOString());
			expect(night.endDate.toJSDate().toISOString()).toBe(ev.aDst!.endsAt!.toISOString());
			// Nine hours on the clock, ten real ones (the clocks went back).
			expect(night.endDate.toJSDate().getTime() - night.startDate.toJSDate().getTime()).toBe(10 * 3600_000);
		});

		it('keeps instants right across the US spring-forward night (America/New_York)', async () => {
			const { events } = parse((await getB('/events.ics')).body);
			const night = events.find((e) => e.uid === ev.bDst!.id)!;
			expect(night.startDate.toJSDate().toISOString()).toBe(ev.bDst!.startsAt.toISOString());
			expect(night.endDate.toJSDate().toISOString()).toBe(ev.bDst!.endsAt!.toISOString());
			expect(night.endDate.toJSDate().getTime() - night.startDate.toJSDate().getTime()).toBe(5 * 3600_000);
			expect(events.map((e) => e.uid)).not.toContain(ev.bDraft!.id);
		});

		it('writes all-day events as dates, end exclusive', async () => {
			const { events } = parse((await getA('/events.ics')).body);
			const festival = events.find((e) => e.uid === ev.aFestival!.id)!;
			expect(festival.startDate.isDate).toBe(true);
			expect(festival.startDate.toString()).toBe(`${oct.year}-10-${String(oct.day - 1).padStart(2, '0')}`);
			expect(festival.endDate.toString()).toBe(plusDays(oct.year, 10, oct.day, 1).iso);
		});

		it('escapes commas, semicolons and newlines and folds long lines', async () => {
			const text = (await getA('/events.ics')).body;
			expect(text).toContain('SUMMARY:Long night\\; films\\, friends\\nand more');
			const lines = text.split('\r\n');
			for (const line of lines) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
			expect(lines.some((l) => l.startsWith(' '))).toBe(true);
			const night = parse(text).events.find((e) => e.uid === ev.aDst!.id)!;
			expect(night.summary).toBe('Long night; films, friends\nand more');
			expect(night.location).toBe('Hof 7, back yard\nWeserstraße 7; Berlin');
			expect(night.description).toContain('Doors open at 8, see you there; bring snacks, blankets.\n\n');
			expect(night.description).toContain(LONG.trim());
		});

		it('marks cancelled events CANCELLED and keeps UIDs stable between fetches', async () => {
			const first = parse((await getA('/events.ics')).body).events;
			const second = parse((await getA('/events.ics')).body).events;
			expect(first.map((e) => e.uid)).toEqual(second.map((e) => e.uid));
			const cancelled = first.find((e) => e.uid === ev.aCancelled!.id)!;
			expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
			expect(first.find((e) => e.uid === ev.aPublished!.id)!.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
		});

		it('offers one event as a download', async () => {
			const r = await getA('/events/alpha-long-night.ics');
			expect(r.status).toBe(200);
			expect(r.headers['content-disposition']).toBe('attachment; filename="alpha-long-night.ics"');
			const { events } = parse(r.body);
			expect(events.map((e) => e.uid)).toEqual([ev.aDst!.id]);
			// RFC 5545: CRLF after every line, the last one too; calendar properties before any component.
			for (const text of [r.body, (await getA('/events.ics')).body]) {
				expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
				const firstComponent = text.search(/\r\nBEGIN:(VTIMEZONE|VEVENT)/);
				expect(text.indexOf('X-PUBLISHED-TTL')).toBeLessThan(firstComponent);
				expect(text.indexOf('X-WR-TIMEZONE')).toBeLessThan(firstComponent);
			}
		});
	});

	describe('caching', () => {
		for (const path of [
			'/',
			'/events',
			'/events/alpha-premiere',
			'/about-alpha',
			'/events.ics',
			'/feed.xml',
			'/sitemap.xml',
			'/robots.txt'
		]) {
			it(`${path}: ETag, short Cache-Control, 304 on If-None-Match`, async () => {
				const r = await getA(path);
				expect(r.status).toBe(200);
				expect(r.headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
				const etag = r.headers.etag as string;
				expect(etag).toBeTruthy();
				const again = await getA(path, { 'if-none-match': etag });
				expect(again.status).toBe(304);
				expect(again.body).toBe('');
				expect(again.headers.etag).toBe(etag);
				expect(again.headers['cache-control']).toBe(r.headers['cache-control']);
				expect((await getA(path, { 'if-none-match': '"something-else"' })).status).toBe(200);
			});
		}

		it('ETags differ between sites for the same path', async () => {
			expect((await getA('/robots.txt')).headers.etag).not.toBe((await getB('/robots.txt')).headers.etag);
		});

		it('admin and sign-in paths are private, no-store', async () => {
			for (const path of ['/admin', '/login']) {
				expect((await getA(path)).headers['cache-control'], path).toBe('private, no-store');
			}
		});
	});

	it('a suspended site answers 410 with a page in its own colours', async () => {
		const admin = await superAdmin();
		await setSiteStatus(admin.platform, B.id, 'suspended');
		try {
			let r = await getB('/');
			for (let i = 0; r.status !== 410 && i < 50; i++) {
				await new Promise((resolve) => setTimeout(resolve, 100));
				r = await getB('/');
			}
			expect(r.status).toBe(410);
			expect(r.body).toContain('Beta Zine Lab is paused');
			expect(r.body).toContain('--accent:#0b7a75');
			expect(r.body).not.toContain('Beta workshop');
			expect((await getB('/events.ics')).status).toBe(410);
			expect((await getA('/')).status).toBe(200);
		} finally {
			await setSiteStatus(admin.platform, B.id, 'active');
		}
	});
});
