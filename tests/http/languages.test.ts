/**
 * Each public site in its own language, over real HTTP on one server: a German and an English
 * site side by side (pages, dates, 404, feed, paused page, <html lang>), requests for both at once
 * never mixing, and a language change in Settings reaching the cached pages at once.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, request, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { actorOn, createEvent, createMember, createSite, superAdmin } from '../support/factories';
import { updateSettings } from '../../src/lib/server/services/settings';
import { setSiteStatus } from '../../src/lib/server/services/sites';
import { instantFromWallTime } from '../../src/lib/time';

describe.runIf(inject('templateDatabase'))('public sites in their own language', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let de: Awaited<ReturnType<typeof createSite>>;
	let en: Awaited<ReturnType<typeof createSite>>;
	const year = new Date().getUTCFullYear() + 1;
	const host = (s: { slug: string }) => `${s.slug}.hub.test`;

	beforeAll(async () => {
		de = await createSite({ slug: 'nachtmarkt', name: 'Nachtmarkt', timezone: 'Europe/Berlin', locale: 'de' });
		en = await createSite({ slug: 'film-night', name: 'Film Night', timezone: 'Europe/Berlin', locale: 'en' });
		const startsAt = instantFromWallTime({ year, month: 3, day: 14, hour: 19, minute: 0 }, 'Europe/Berlin');
		for (const s of [de, en]) await createEvent(s, { slug: 'fest', title: 'Fest', startsAt, status: 'published' });
		await createEvent(de, { slug: 'abgesagt', title: 'Konzert', startsAt, status: 'cancelled' });
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
	}, 120_000);
	afterAll(() => hub?.stop());

	it('renders the German site in German and the English one in English, dates included', async () => {
		const [home, page, events] = await Promise.all([
			get(hub.origin, '/', host(de)),
			get(hub.origin, '/events/fest', host(de)),
			get(hub.origin, '/', host(en))
		]);
		expect(home.status).toBe(200);
		expect(home.body).toMatch(/<html lang="de" dir="ltr"/);
		expect(home.body).toContain('Zum Inhalt springen');
		expect(home.body).toContain('Kalender abonnieren');
		expect(home.body).toContain('Abgesagt');
		expect(home.body).not.toContain('Skip to content');
		// Intl in German: März, not March.
		expect(page.body).toContain('März');
		expect(page.body).toContain('Zum Kalender hinzufügen');
		expect(page.body).toContain('Über diese Veranstaltung');
		const list = await get(hub.origin, '/events', host(de));
		expect(list.body).toContain('<h1>Veranstaltungen</h1>');
		expect(list.body).toContain('Demnächst');
		expect(page.body).not.toContain('March');
		expect(events.body).toMatch(/<html lang="en" dir="ltr"/);
		expect(events.body).toContain('Subscribe to calendar');
		expect(events.body).not.toContain('Kalender abonnieren');
	});

	it('answers many requests for both sites at once without mixing languages', async () => {
		const hosts = Array.from({ length: 40 }, (_, i) => (i % 2 ? de : en));
		const pages = await Promise.all(hosts.map((s, i) => get(hub.origin, i % 4 < 2 ? '/' : '/events/fest', host(s))));
		pages.forEach((r, i) => {
			const german = hosts[i] === de;
			expect(r.body.includes('<html lang="de"'), `request ${i}`).toBe(german);
			expect(r.body.includes('Kalender abonnieren'), `request ${i}`).toBe(german);
		});
	});

	it('the 404 page, the feed and the paused page speak the site’s language', async () => {
		const missing = await get(hub.origin, '/gibt-es-nicht', host(de));
		expect(missing.status).toBe(404);
		expect(missing.body).toContain('Seite nicht gefunden');
		const feed = await get(hub.origin, '/feed.xml', host(de));
		expect(feed.body).toContain('Nachtmarkt: Veranstaltungen');
		expect(feed.body).toContain('Abgesagt: Konzert');

		const paused = await createSite({ slug: 'pause', name: 'Pausenhof', locale: 'de' });
		await setSiteStatus((await superAdmin()).platform, paused.id, 'suspended');
		const r = await get(hub.origin, '/', host(paused));
		expect(r.status).toBe(410);
		expect(r.body).toContain('<html lang="de"');
		expect(r.body).toContain('Pausenhof macht gerade Pause');
	});

	it('the plain pages the hub answers by itself: the site’s language, else the browser’s', async () => {
		// A form posted to the German site from elsewhere: refused in German.
		const refused = await request(hub.origin, '/follow', host(de), {
			method: 'POST',
			headers: { origin: 'https://elsewhere.example', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'email=a%40b.example'
		});
		expect(refused.status).toBe(403);
		expect(refused.body).toContain('<html lang="de"');
		expect(refused.body).toContain('Formular abgelehnt');
		// An unknown host knows no site: the browser's language, and caches keep one page per language.
		const unknown = (lang?: string) => get(hub.origin, '/', 'nobody.example', lang ? { 'accept-language': lang } : {});
		const fr = await unknown('fr-FR,fr;q=0.9,en;q=0.5');
		expect(fr.status).toBe(404);
		expect(fr.body).toContain('<html lang="fr"');
		expect(fr.body).toContain('Aucun site n’est servi à cette adresse.');
		expect(fr.headers.vary).toContain('Accept-Language');
		const plain = await unknown();
		expect(plain.body).toContain('<html lang="en"');
		expect(plain.body).toContain('No site is served at this address.');
		expect((await unknown('ja')).body).toContain('No site is served at this address.');
	});

	it('a language chosen in Settings shows on the next request, cached pages included', async () => {
		expect((await get(hub.origin, '/', host(en))).body).toContain('Subscribe to calendar');
		const owner = await actorOn(en, await createMember(en, 'owner'), 'owner');
		await updateSettings(owner, { name: en.name, timezone: 'Europe/Berlin', locale: 'fr', contactEmail: '' });
		await expect.poll(async () => (await get(hub.origin, '/', host(en))).body, { timeout: 5_000 }).toContain('S’abonner à l’agenda');
		expect((await get(hub.origin, '/', host(en))).body).toMatch(/<html lang="fr"/);
		// The German site did not change.
		expect((await get(hub.origin, '/', host(de))).body).toContain('Kalender abonnieren');
		expect(
			await updateSettings(owner, { name: en.name, timezone: 'Europe/Berlin', locale: 'xx', contactEmail: '' }).catch((e) => e.status)
		).toBe(400);
	});
});
