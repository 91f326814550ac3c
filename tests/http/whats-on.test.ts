/**
 * The hub's "What's on" over HTTP with real Host headers: only opted-in, active sites' public
 * events, by day, each linking to its site's primary domain; filters by collective, city, venue
 * (a site's place: only listed active sites' places are choices or answers) and tag;
 * paging; JSON-LD; iCalendar (ical.js and node-ical) and Atom (fast-xml-parser and sax) feeds of
 * the whole calendar and of each filter; the hub calendar cache drops only the pages a site's
 * change can touch (the change arrives from another process over LISTEN/NOTIFY).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sax from 'sax';
import { get, startHub, type HttpResult, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { actorOn, createDomain, createEvent, createMember, createSite, superAdmin } from '../support/factories';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { updateEvent, type EventRow } from '../../src/lib/server/queries/events';
import { createTag, setTagsOf } from '../../src/lib/server/queries/tags';
import { createPlace } from '../../src/lib/server/queries/places';
import { write } from '../../src/lib/server/services/write';
import { updateSettings } from '../../src/lib/server/services/settings';
import { setSiteStatus } from '../../src/lib/server/services/sites';
import type { SiteRow } from '../../src/lib/server/queries/sites';

const HUB = 'hub.test';
const cacheState = (r: HttpResult) => r.headers['x-render-cache'];

function atomTitles(xml: string): string[] {
	expect(XMLValidator.validate(xml)).toBe(true);
	const feed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(xml).feed;
	// A second, streaming parser in strict mode: it throws on anything that is not well-formed XML.
	const parser = sax.parser(true);
	const saxTitles: string[] = [];
	let inEntryTitle = false;
	const path: string[] = [];
	parser.onopentag = (tag) => {
		path.push(tag.name);
		inEntryTitle = path.join('/') === 'feed/entry/title';
		if (inEntryTitle) saxTitles.push('');
	};
	parser.onclosetag = () => {
		path.pop();
		inEntryTitle = false;
	};
	parser.ontext = (t) => {
		if (inEntryTitle) saxTitles[saxTitles.length - 1] += t;
	};
	parser.oncdata = parser.ontext;
	parser.write(xml).close();
	const titles: string[] = (feed.entry ?? []).map((e: { title: string | { '#text': string } }) =>
		typeof e.title === 'string' ? e.title : e.title['#text']
	);
	expect(saxTitles.map((t) => t.replace(/&amp;/g, '&'))).toEqual(titles.map((t) => t.replace(/&amp;/g, '&')));
	return titles;
}

async function icsUids(text: string): Promise<string[]> {
	const root = new ICAL.Component(ICAL.parse(text));
	const uids = root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c).uid);
	const parsed = await nodeIcal.async.parseICS(text);
	const nodeUids = Object.values(parsed)
		.filter((c) => c && c.type === 'VEVENT')
		.map((c) => (c as { uid: string }).uid);
	expect([...nodeUids].sort()).toEqual([...uids].sort());
	return uids.sort();
}

describe.runIf(inject('templateDatabase'))("hub: what's on", () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let alpha: SiteRow, beta: SiteRow, gamma: SiteRow, delta: SiteRow;
	const ev: Record<string, EventRow> = {};
	const day = (n: number, hour = 19) => {
		const d = new Date(Date.now() + n * 86_400_000);
		d.setUTCHours(hour, 0, 0, 0);
		return d;
	};

	async function listIn(site: SiteRow, city: string, listed = true) {
		const owner = await createMember(site, 'owner');
		const actor = await actorOn(site, owner, 'owner');
		await updateSettings(actor, {
			name: site.name,
			tagline: '',
			description: '',
			timezone: site.timezone,
			contactEmail: '',
			hubListed: listed ? 'on' : '',
			hubCity: city
		});
	}

	beforeAll(async () => {
		alpha = await createSite({ name: 'Alpha Film Club', timezone: 'Europe/Berlin' });
		beta = await createSite({ name: 'Beta Zine', timezone: 'UTC' });
		gamma = await createSite({ name: 'Gamma Unlisted', timezone: 'UTC' });
		delta = await createSite({ name: 'Delta Paused', timezone: 'UTC' });
		const domain = await createDomain(alpha.id, 'alpha-whatson.example', true);
		await setPrimaryDomain(alpha.id, domain.id);

		// Places are per site: Alpha and Beta each have a "kino"; Gamma's (unlisted) and Delta's
		// (suspended) are never choices or answers; Alpha's hall has only a draft coming.
		const kino = await createPlace(alpha.id, { slug: 'kino', name: 'Kino', address: 'Weserstraße 7, 12047 Berlin' });
		const betaKino = await createPlace(beta.id, { slug: 'kino', name: 'Kino', address: 'Karl-Heine-Straße 1, Leipzig' });
		const hall = await createPlace(alpha.id, { slug: 'empty-hall', name: 'Empty Hall' });
		const cellar = await createPlace(gamma.id, { slug: 'secret-cellar', name: 'Secret Cellar' });
		const paused = await createPlace(delta.id, { slug: 'paused-hall', name: 'Paused Hall' });
		ev.aFilm = await createEvent(alpha, {
			title: 'Alpha film night',
			startsAt: day(2),
			placeId: kino.id,
			venueName: 'Kino',
			venueAddress: 'Weserstraße 7, 12047 Berlin'
		});
		ev.aCancelled = await createEvent(alpha, { title: 'Alpha rooftop', startsAt: day(3), status: 'cancelled' });
		ev.aDraft = await createEvent(alpha, { title: 'Alpha secret draft', startsAt: day(2), status: 'draft', placeId: hall.id });
		ev.aPast = await createEvent(alpha, { title: 'Alpha last year', startsAt: day(-30) });
		// Beta has enough events for a second page (30 per page).
		for (let i = 0; i < 30; i++) ev[`b${i}`] = await createEvent(beta, { title: `Beta reading ${i}`, startsAt: day(1 + i, 18) });
		ev.gamma = await createEvent(gamma, { title: 'Gamma private party', startsAt: day(2), placeId: cellar.id, venueName: 'Secret Cellar' });
		ev.delta = await createEvent(delta, { title: 'Delta paused show', startsAt: day(2), placeId: paused.id, venueName: 'Paused Hall' });
		await updateEvent(beta.id, ev.b5!.id, { placeId: betaKino.id, venueName: 'Kino', venueAddress: betaKino.address });

		// Tags are per site: "film" on Alpha and on Beta is one filter; Gamma's (unlisted) and a draft never show.
		const tagOn = async (site: SiteRow, slug: string, name: string, events: EventRow[]) => {
			const t = await createTag(site.id, { slug, name });
			for (const e of events) await setTagsOf(site.id, { eventId: e.id }, [t.id]);
		};
		await tagOn(alpha, 'film', 'Film', [ev.aFilm, ev.aDraft]);
		await tagOn(beta, 'film', 'Films', [ev.b3!]);
		await tagOn(beta, 'poetry', 'Poetry', [ev.b0!, ev.b1!]);
		await tagOn(gamma, 'film', 'Film', [ev.gamma]);

		await listIn(alpha, 'Berlin');
		await listIn(beta, 'Leipzig');
		await listIn(delta, 'Berlin');
		await setSiteStatus((await superAdmin()).platform, delta.id, 'suspended');
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
	}, 120_000);

	afterAll(async () => {
		await hub?.stop();
	});

	const hubGet = (path: string) => get(hub.origin, path, HUB);

	it('lists the upcoming public events of opted-in active sites only, by day, linking to each site', async () => {
		const r = await hubGet('/whats-on');
		expect(r.status).toBe(200);
		expect(r.headers['cache-control']).toMatch(/^public/);
		expect(r.body).toContain('Alpha film night');
		expect(r.body).toContain('Alpha rooftop');
		expect(r.body).toContain('Beta reading 0');
		for (const hidden of ['Alpha secret draft', 'Alpha last year', 'Gamma private party', 'Delta paused show'])
			expect(r.body).not.toContain(hidden);
		// Links on each site's primary domain: Alpha's custom domain, Beta's platform subdomain.
		expect(r.body).toContain(`href="http://alpha-whatson.example/events/${ev.aFilm!.slug}"`);
		expect(r.body).toContain(`href="http://${beta.slug}.${HUB}/events/${ev.b0!.slug}"`);
		// Grouped by day: one heading per date, in order.
		const dates = [...r.body.matchAll(/<time datetime="(\d{4}-\d{2}-\d{2})">/g)].map((m) => m[1]!);
		expect(dates.length).toBeGreaterThan(10);
		expect([...dates].sort()).toEqual(dates);
		expect(new Set(dates).size).toBe(dates.length);
		expect(r.body).toContain('32 upcoming events');
	});

	it('carries schema.org JSON-LD for the events it shows', async () => {
		const r = await hubGet('/whats-on?site=' + alpha.slug);
		const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(r.body)?.[1];
		const data = JSON.parse(json!);
		expect(data['@type']).toBe('ItemList');
		const items = data.itemListElement.map((i: { item: Record<string, unknown> }) => i.item);
		expect(items.map((i: { name: string }) => i.name)).toEqual(['Alpha film night', 'Alpha rooftop']);
		expect(items[0]).toMatchObject({
			'@type': 'Event',
			url: `http://alpha-whatson.example/events/${ev.aFilm!.slug}`,
			location: { '@type': 'Place', name: 'Kino' },
			organizer: { name: 'Alpha Film Club' }
		});
		expect(items[1].eventStatus).toBe('https://schema.org/EventCancelled');
	});

	it('filters by collective and by city, and refuses junk with 4xx', async () => {
		const a = await hubGet(`/whats-on?site=${alpha.slug}`);
		expect(a.body).toContain('Alpha film night');
		expect(a.body).not.toContain('Beta reading');
		const leipzig = await hubGet('/whats-on?city=leipzig');
		expect(leipzig.body).toContain('Beta reading 0');
		expect(leipzig.body).not.toContain('Alpha film night');
		// Delta is in Berlin too, but suspended.
		const berlin = await hubGet('/whats-on?city=Berlin');
		expect(berlin.body).toContain('Alpha film night');
		expect(berlin.body).not.toContain('Delta');
		expect((await hubGet(`/whats-on?site=${gamma.slug}`)).status).toBe(404);
		expect((await hubGet('/whats-on?site=no-such-club')).status).toBe(404);
		expect((await hubGet('/whats-on?page=abc')).status).toBe(400);
		expect((await hubGet('/whats-on?page=99')).status).toBe(404);
		// The filter choices name listed active collectives only.
		expect(a.body).not.toContain('Gamma Unlisted');
		expect(a.body).not.toContain('Delta Paused');
	});

	it('pages through the calendar', async () => {
		const first = await hubGet('/whats-on');
		expect(first.body).toContain('Page 1 of 2');
		expect(first.body).toContain('href="/whats-on?page=2"');
		const second = await hubGet('/whats-on?page=2');
		expect(second.status).toBe(200);
		expect(second.body).toContain('Beta reading 29');
		expect(first.body).not.toContain('Beta reading 29');
	});

	it('is not answered on a site’s host', async () => {
		const r = await get(hub.origin, '/whats-on', 'alpha-whatson.example');
		expect(r.status).toBe(404);
		expect(r.body).not.toContain('Beta reading');
	});

	it('has federation off without FEDERATION_KEY (no WebFinger, actor or NodeInfo)', async () => {
		const host = 'alpha-whatson.example';
		expect((await get(hub.origin, `/.well-known/webfinger?resource=acct:events@${host}`, host)).status).toBe(404);
		expect((await get(hub.origin, '/ap/actor/events', host, { accept: 'application/activity+json' })).status).toBe(404);
		expect((await get(hub.origin, '/.well-known/nodeinfo', host)).status).toBe(404);
	});

	it('offers iCalendar feeds of the whole calendar and of each filter (ical.js and node-ical agree)', async () => {
		const all = await hubGet('/whats-on.ics');
		expect(all.status).toBe(200);
		expect(all.headers['content-type']).toBe('text/calendar; charset=utf-8');
		const expected = ['aFilm', 'aCancelled', ...Array.from({ length: 30 }, (_, i) => `b${i}`)].map((k) => ev[k]!.id).sort();
		expect(await icsUids(all.body)).toEqual(expected);
		const onlyAlpha = await hubGet(`/whats-on.ics?site=${alpha.slug}`);
		expect(await icsUids(onlyAlpha.body)).toEqual([ev.aFilm!.id, ev.aCancelled!.id].sort());
		const root = new ICAL.Component(ICAL.parse(onlyAlpha.body));
		const film = root
			.getAllSubcomponents('vevent')
			.map((c) => new ICAL.Event(c))
			.find((e) => e.uid === ev.aFilm!.id)!;
		expect(film.startDate.toJSDate().getTime()).toBe(ev.aFilm!.startsAt.getTime());
		expect(film.component.getFirstPropertyValue('url')).toBe(`http://alpha-whatson.example/events/${ev.aFilm!.slug}`);
		expect(await icsUids((await hubGet('/whats-on.ics?city=Leipzig')).body)).toHaveLength(30);
	});

	it('offers Atom feeds of the whole calendar and of each filter (fast-xml-parser and sax agree)', async () => {
		const all = await hubGet('/whats-on.xml');
		expect(all.headers['content-type']).toMatch(/^application\/atom\+xml/);
		const titles = atomTitles(all.body);
		expect(titles).toContain('Alpha film night');
		expect(titles).toContain('Cancelled: Alpha rooftop');
		expect(titles.some((t) => /Gamma|Delta|secret/.test(t))).toBe(false);
		expect(atomTitles((await hubGet(`/whats-on.xml?site=${alpha.slug}`)).body)).toEqual(['Alpha film night', 'Cancelled: Alpha rooftop']);
		expect(atomTitles((await hubGet('/whats-on.xml?city=berlin')).body)).toEqual(['Alpha film night', 'Cancelled: Alpha rooftop']);
	});

	it('filters by tag across collectives, with its own iCalendar and Atom feeds, from the cache', async () => {
		const film = await hubGet('/whats-on?tag=film');
		expect(film.status).toBe(200);
		expect(film.body).toContain('Alpha film night');
		expect(film.body).toContain('Beta reading 3');
		for (const hidden of ['Beta reading 0', 'Alpha rooftop', 'Alpha secret draft', 'Gamma private party'])
			expect(film.body).not.toContain(hidden);
		expect(film.body).toContain('2 upcoming events');
		// The tag choice lists tags on coming public events of listed sites; the feeds keep the filter.
		expect(film.body).toMatch(/<option value="poetry"[^>]*>Poetry<\/option>/);
		expect(film.body).toContain(`href="http://${HUB}/whats-on.ics?tag=film"`);
		expect(await icsUids((await hubGet('/whats-on.ics?tag=film')).body)).toEqual([ev.aFilm!.id, ev.b3!.id].sort());
		expect(atomTitles((await hubGet('/whats-on.xml?tag=poetry')).body)).toEqual(['Beta reading 0', 'Beta reading 1']);
		// Combined with another filter, and paged like the rest.
		expect(atomTitles((await hubGet(`/whats-on.xml?tag=film&site=${beta.slug}`)).body)).toEqual(['Beta reading 3']);
		expect((await hubGet('/whats-on?tag=film&page=2')).status).toBe(404);
		expect((await hubGet('/whats-on?tag=no-such-tag')).body).toContain('0 upcoming events');
		// Each tag is its own cache entry (the key keeps the tag).
		expect(cacheState(await hubGet('/whats-on?tag=film'))).toBe('hit');
		const poetry = await hubGet('/whats-on?tag=poetry');
		expect(poetry.body).toContain('Beta reading 1');
		expect(poetry.body).not.toContain('Alpha film night');
		// Junk is no filter rather than an error (as for the collective).
		expect((await hubGet('/whats-on?tag=%3Cscript%3E')).status).toBe(200);
	});

	/** The choices of a filter select on a page: [value, label] (the "all" choice left out). */
	const choicesOf = (body: string, name: string) => {
		const select = new RegExp(`<select name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(body.replace(/<!--[^>]*-->/g, ''))?.[1] ?? '';
		return [...select.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)<\/option>/g)].map((o) => [o[1], o[2]]);
	};

	it('filters by venue: one site’s place, in the page, its choices and its feeds', async () => {
		const aKino = `${alpha.slug}.kino`;
		const bKino = `${beta.slug}.kino`;
		const r = await hubGet(`/whats-on?place=${aKino}`);
		expect(r.status).toBe(200);
		expect(r.body).toContain('Alpha film night');
		for (const hidden of ['Alpha rooftop', 'Beta reading 5', 'Alpha secret draft']) expect(r.body).not.toContain(hidden);
		expect(r.body).toContain('1 upcoming event');
		// The entry names its venue; the page is titled by it; the feeds keep the filter.
		expect(r.body).toContain('Kino, Weserstraße 7, 12047 Berlin');
		expect(r.body).toMatch(/<h1[^>]*>What.{1,5}s on · Kino<\/h1>/);
		expect(r.body).toContain(`href="http://${HUB}/whats-on.ics?place=${aKino}"`);
		expect(r.body).toContain(`href="http://${HUB}/whats-on.xml?place=${aKino}"`);
		// The same slug on another site is another venue.
		const b = await hubGet(`/whats-on?place=${bKino}`);
		expect(b.body).toContain('Beta reading 5');
		expect(b.body).not.toContain('Alpha film night');
		expect(b.body).toContain('1 upcoming event');

		// Choices: places of listed active sites with something coming, named with their collective.
		const all = await hubGet('/whats-on');
		// Elsewhere the venue of an entry links to its own calendar (not on that calendar itself).
		expect(all.body).toMatch(
			new RegExp(
				`<a href="/whats-on\\?place=${aKino}" aria-label="What.{1,6}s on at Kino, Weserstraße 7, 12047 Berlin"[^>]*>Kino, Weserstraße`
			)
		);
		expect(all.body).toContain(`href="/whats-on?place=${bKino}"`);
		expect(r.body).not.toContain(`href="/whats-on?place=${aKino}"`);
		expect(all.body).toContain('<span>Venue</span>');
		expect(choicesOf(all.body, 'place')).toEqual([
			[aKino, 'Kino · Alpha Film Club'],
			[bKino, 'Kino · Beta Zine']
		]);
		// Filtered to one site, its own places only (the page depends on that site alone).
		expect(choicesOf((await hubGet(`/whats-on?site=${beta.slug}`)).body, 'place')).toEqual([[bKino, 'Kino']]);
		expect(choicesOf(r.body, 'place')).toEqual([[aKino, 'Kino']]);
		expect(r.body).toMatch(new RegExp(`<option value="${aKino}" selected[^>]*>`));

		expect(await icsUids((await hubGet(`/whats-on.ics?place=${aKino}`)).body)).toEqual([ev.aFilm!.id]);
		const root = new ICAL.Component(ICAL.parse((await hubGet(`/whats-on.ics?place=${bKino}`)).body));
		expect(root.getFirstPropertyValue('x-wr-calname')).toBe("What's on · Kino");
		expect(root.getAllSubcomponents('vevent').map((c) => c.getFirstPropertyValue('location'))).toEqual([
			'Kino\nKarl-Heine-Straße 1, Leipzig'
		]);
		const atom = (await hubGet(`/whats-on.xml?place=${bKino}`)).body;
		expect(atomTitles(atom)).toEqual(['Beta reading 5']);
		expect(atom).toContain('Kino, Karl-Heine-Straße 1, Leipzig');
		// Combined with other filters: a venue and another collective (or a tag not used there) show nothing.
		expect((await hubGet(`/whats-on?place=${aKino}&site=${beta.slug}`)).body).toContain('0 upcoming events');
		expect(atomTitles((await hubGet(`/whats-on.xml?place=${aKino}&tag=film`)).body)).toEqual(['Alpha film night']);
		expect(atomTitles((await hubGet(`/whats-on.xml?place=${aKino}&tag=poetry`)).body)).toEqual([]);
		// A venue with nothing public coming: an empty list, and no choice.
		const hall = await hubGet(`/whats-on?place=${alpha.slug}.empty-hall`);
		expect(hall.status).toBe(200);
		expect(hall.body).toContain('0 upcoming events');
		expect(hall.body).not.toContain('Alpha secret draft');
		expect(choicesOf(all.body, 'place').map(([v]) => v)).not.toContain(`${alpha.slug}.empty-hall`);
	});

	it('never shows an unlisted or suspended site’s venue, and answers junk with a 4xx', async () => {
		const pages = ['/whats-on', `/whats-on?city=Berlin`, `/whats-on?site=${alpha.slug}`];
		for (const p of pages) {
			const body = (await hubGet(p)).body;
			for (const hidden of ['Secret Cellar', 'Paused Hall', 'secret-cellar', 'paused-hall']) expect(body, p).not.toContain(hidden);
		}
		// Unlisted, suspended and unknown answer alike: nothing tells them apart.
		for (const path of ['/whats-on', '/whats-on.ics', '/whats-on.xml'])
			for (const key of [`${gamma.slug}.secret-cellar`, `${delta.slug}.paused-hall`, `no-such-club.kino`, `${alpha.slug}.no-such-place`]) {
				const res = await hubGet(`${path}?place=${key}`);
				expect(res.status, `${path} ${key}`).toBe(404);
				expect(res.body).toContain('No collective in this calendar has that venue.');
				for (const hidden of ['Gamma', 'Delta', 'Secret Cellar', 'Paused Hall']) expect(res.body).not.toContain(hidden);
			}
		for (const junk of ['kino', '%3Cscript%3E.kino', `${alpha.slug}.kino.x`, `${alpha.slug}.`, `.kino`, `${alpha.slug}.-kino`]) {
			for (const path of ['/whats-on', '/whats-on.ics', '/whats-on.xml']) {
				const res = await hubGet(`${path}?place=${junk}`);
				expect(res.status, `${path} ${junk}`).toBe(400);
				expect(res.body).toContain('No collective in this calendar has that venue.');
			}
		}
		// Case and spaces are forgiven, as for the other filters.
		expect((await hubGet(`/whats-on?place=%20${alpha.slug.toUpperCase()}.KINO`)).body).toContain('Alpha film night');
	});

	it('serves warm pages from the cache and drops only the pages a site’s change can touch', async () => {
		const paths = [
			'/whats-on',
			`/whats-on?site=${alpha.slug}`,
			`/whats-on?site=${beta.slug}`,
			'/whats-on?city=Leipzig',
			'/whats-on.ics',
			`/whats-on?place=${alpha.slug}.kino`,
			`/whats-on?place=${beta.slug}.kino`,
			`/whats-on.xml?place=${beta.slug}.kino`
		];
		for (const p of paths) await hubGet(p);
		for (const p of paths) expect(cacheState(await hubGet(p)), p).toBe('hit');
		expect(cacheState(await hubGet(`/whats-on?site=${beta.slug}&utm_source=x`))).toBe('hit');

		// An edit on Alpha, written by this process: the server hears it over NOTIFY.
		await write({ siteId: alpha.id, actor: { userId: null, name: 'test' } }, async (w) => {
			await updateEvent(alpha.id, ev.aFilm!.id, { title: 'Alpha film night (new print)' });
			await w.audit({ action: 'event.update', targetType: 'event', targetId: ev.aFilm!.id, target: 'retitled' });
		});
		await expect.poll(async () => (await hubGet(`/whats-on?site=${alpha.slug}`)).body).toContain('Alpha film night (new print)');
		expect((await hubGet('/whats-on')).body).toContain('Alpha film night (new print)');
		expect((await hubGet('/whats-on.ics')).body).toContain('Alpha film night (new print)');
		expect((await hubGet(`/whats-on?place=${alpha.slug}.kino`)).body).toContain('Alpha film night (new print)');
		// Pages that cannot show Alpha were kept: another collective's, another city's, another site's venue.
		expect(cacheState(await hubGet(`/whats-on?site=${beta.slug}`))).toBe('hit');
		expect(cacheState(await hubGet('/whats-on?city=Leipzig'))).toBe('hit');
		expect(cacheState(await hubGet(`/whats-on?place=${beta.slug}.kino`))).toBe('hit');
		expect(cacheState(await hubGet(`/whats-on.xml?place=${beta.slug}.kino`))).toBe('hit');
		// Each venue is its own entry: the key keeps the place.
		expect(cacheState(await hubGet(`/whats-on?place=${alpha.slug}.kino`))).toBe('hit');
	});

	it('shows a site once it opts in and hides it once suspended, keeping other collectives’ pages', async () => {
		await hubGet(`/whats-on?site=${beta.slug}`);
		await hubGet(`/whats-on?place=${beta.slug}.kino`);
		expect((await hubGet(`/whats-on?place=${gamma.slug}.secret-cellar`)).status).toBe(404);
		await listIn(gamma, 'Leipzig');
		await expect.poll(async () => (await hubGet('/whats-on?city=Leipzig')).body).toContain('Gamma private party');
		expect((await hubGet('/whats-on.xml')).body).toContain('Gamma private party');
		expect(cacheState(await hubGet(`/whats-on?site=${beta.slug}`))).toBe('hit');
		// Listed now, its venue is a choice and an answer; another site's venue page was kept.
		expect(choicesOf((await hubGet('/whats-on')).body, 'place').map(([v]) => v)).toContain(`${gamma.slug}.secret-cellar`);
		expect((await hubGet(`/whats-on?place=${gamma.slug}.secret-cellar`)).body).toContain('Gamma private party');
		expect(cacheState(await hubGet(`/whats-on?place=${beta.slug}.kino`))).toBe('hit');

		await setSiteStatus((await superAdmin()).platform, gamma.id, 'suspended');
		await expect.poll(async () => (await hubGet('/whats-on?city=Leipzig')).body).not.toContain('Gamma private party');
		expect((await hubGet('/whats-on.ics')).body).not.toContain('Gamma private party');
		expect((await hubGet(`/whats-on?place=${gamma.slug}.secret-cellar`)).status).toBe(404);
		expect(cacheState(await hubGet(`/whats-on?site=${beta.slug}`))).toBe('hit');

		// Opting out again takes the site off every page at once.
		await listIn(alpha, 'Berlin', false);
		await expect.poll(async () => (await hubGet('/whats-on')).body).not.toContain('Alpha film night');
		expect((await hubGet(`/whats-on?site=${alpha.slug}`)).status).toBe(404);
	});
});
