/**
 * A 390 px phone with one 65-letter word in every text a collective can type (site name, hero,
 * event titles, venues, descriptions, page titles, nav labels): no public page and no admin
 * screen scrolls sideways, and no page repeats an id. Event posters keep their shape in lists
 * and on the event page. On the event page, the share button and the calendar links work.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { and, eq } from 'drizzle-orm';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { db } from '../../src/lib/server/db';
import { event } from '../../src/lib/server/db/schema';
import { saveHome } from '../../src/lib/server/queries/home';
import { addNavLink } from '../../src/lib/server/queries/links';
import { useTestDatabase } from '../support/db';
import { createEvent, createMember, createPage, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { jpeg } from '../support/images';
import { get } from '../support/server';

const WORD = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhersteller'.slice(0, 65);
const PHONE = { width: 390, height: 844 };
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase') && hasChromium)('long words on a 390 px phone', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let owner: { context: BrowserContext; page: Page };
	let host: string;
	let siteId: string;
	const ids: Record<string, string> = {};
	const origin = () => `http://${host}:${hub.port}`;

	beforeAll(async () => {
		expect(WORD).toHaveLength(65);
		const site = await createSite({ slug: 'lange-woerter', name: `Verein ${WORD}`, tagline: WORD, timezone: 'Europe/Berlin' });
		siteId = site.id;
		host = `${site.slug}.hub.test`;
		await saveHome(site.id, {
			heroTitle: `Willkommen ${WORD}`,
			heroText: WORD,
			intro: `Über ${WORD} und mehr.`,
			showEvents: true,
			showLinks: true
		});
		await addNavLink(site.id, { label: WORD, url: '/seite' });
		for (let i = 0; i < 4; i++) {
			const e = await createEvent(site, {
				slug: `abend-${i}`,
				title: `Filmabend ${WORD}`,
				venueName: WORD,
				venueAddress: `${WORD}straße 7, 12047 Berlin`,
				description: `Ein **langer** Abend: ${WORD}. https://example.org/${WORD}/${WORD}`,
				ticketUrl: `https://tickets.example/${WORD}`,
				startsAt: new Date(Date.now() + (i + 2) * 86_400_000)
			});
			ids[`event${i}`] = e.id;
		}
		const p = await createPage(site, { slug: 'seite', title: WORD, body: `# ${WORD}\n\n${WORD} ${WORD}` });
		ids.page = p.id;
		const discordId = (await createMember(site, 'owner', { name: 'Olga Owner' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, discordId, { global_name: 'Olga Owner' });
		browser = await launchChromium();

		const context = await browser.newContext({ viewport: PHONE });
		const page = await context.newPage();
		await page.goto(`${origin()}/login?next=%2Fadmin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Olga Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin()}/admin`);
		owner = { context, page };

		// A tall poster, uploaded through the editor like an organiser would.
		await page.goto(`${origin()}/admin/events/new`);
		await page.getByLabel('Title', { exact: true }).fill(`Plakat ${WORD}`);
		await page.getByRole('textbox', { name: 'Web address' }).fill('plakat');
		await page.getByLabel('Start date', { exact: true }).fill(`${NEXT_YEAR}-01-15`);
		await page.getByLabel('Start time').fill('19:30');
		await page.locator('input[name="image"]').setInputFiles({ name: 'poster.jpg', mimeType: 'image/jpeg', buffer: await jpeg(600, 900) });
		await page.getByLabel('Image description').fill('Poster');
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}\?saved=1$/);
		const [poster] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, siteId), eq(event.slug, 'plakat')));
		expect(poster?.imageAssetId).toBeTruthy();
	});
	afterAll(async () => {
		await owner?.context.close();
		await browser?.close();
		await hub?.stop();
	});

	async function fits(page: Page, path: string) {
		const response = await page.goto(`${origin()}${path}`);
		expect([200, 404], path).toContain(response?.status());
		await page.waitForLoadState('load');
		const o = await horizontalOverflow(page);
		expect(o.scrollWidth, `${path}: ${o.offenders.join(', ')}`).toBeLessThanOrEqual(390);
		expect(await duplicateIds(page), path).toEqual([]);
	}

	for (const path of ['/', '/events', '/events/abend-0', '/events/plakat', '/seite', '/kein-solcher-ort']) {
		it(`public ${path} fits 390 px with unique ids`, async () => {
			const page = await browser.newPage({ viewport: PHONE });
			await fits(page, path);
			await page.close();
		});
	}

	it('every admin screen fits 390 px with unique ids', async () => {
		const paths = [
			'/admin',
			'/admin/settings',
			'/admin/branding',
			'/admin/homepage',
			'/admin/links',
			'/admin/events',
			'/admin/events/new',
			`/admin/events/${ids.event0}`,
			'/admin/pages',
			'/admin/pages/new',
			`/admin/pages/${ids.page}`,
			'/admin/media',
			'/admin/members',
			'/admin/domains'
		];
		for (const path of paths) await fits(owner.page, path);
	});

	it('posters keep their aspect ratio in lists and on the event page', async () => {
		const page = await browser.newPage({ viewport: PHONE });
		await page.goto(`${origin()}/events`);
		const card = page.locator('.event-card', { has: page.locator('.thumb') });
		const thumb = await card.locator('.thumb').boundingBox();
		expect(thumb).toBeTruthy();
		// The long title wraps onto many lines, so the card is far taller than the poster is wide.
		expect((await card.boundingBox())!.height).toBeGreaterThan(thumb!.width * 2);
		// A square crop in lists, never a strip as tall as the card.
		expect(Math.abs(thumb!.height - thumb!.width)).toBeLessThanOrEqual(1);
		await page.goto(`${origin()}/events/plakat`);
		const img = await page.locator('.event-image img').boundingBox();
		expect(img!.width).toBeLessThanOrEqual(390);
		expect(img!.height / img!.width).toBeCloseTo(1.5, 1);
		await page.close();
	});

	it('shares the event (Web Share API, else copy link) and offers calendar links on a phone', async () => {
		const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
		// Headless Chromium has no share sheet: stand one in and record what the page hands it.
		await context.addInitScript(() => {
			const w = window as unknown as { shared: unknown[] };
			w.shared = [];
			Object.defineProperty(navigator, 'share', { value: async (data: unknown) => void w.shared.push(data), configurable: true });
		});
		const page = await context.newPage();
		await page.goto(`${origin()}/events/abend-0`);
		const share = page.getByRole('button', { name: 'Share' });
		await share.click();
		expect(await page.evaluate(() => (window as unknown as { shared: unknown[] }).shared)).toEqual([
			{ title: `Filmabend ${WORD}`, url: `${origin()}/events/abend-0` }
		]);

		await page.getByText('Add to calendar').click();
		const google = new URL((await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href'))!);
		expect(google.hostname).toBe('calendar.google.com');
		expect(google.searchParams.get('text')).toBe(`Filmabend ${WORD}`);
		expect(google.searchParams.get('dates')).toMatch(/^\d{8}T\d{6}Z\/\d{8}T\d{6}Z$/);
		const outlook = new URL((await page.getByRole('link', { name: 'Outlook' }).getAttribute('href'))!);
		expect(outlook.hostname).toBe('outlook.live.com');
		expect(outlook.searchParams.get('subject')).toBe(`Filmabend ${WORD}`);
		const ics = page.getByRole('link', { name: /Apple Calendar/ });
		expect(await ics.isVisible()).toBe(true);
		const download = await Promise.all([page.waitForEvent('download'), ics.click()]).then(([d]) => d);
		expect(download.suggestedFilename()).toBe('abend-0.ics');
		const body = await get(hub.origin, '/events/abend-0.ics', host);
		expect(body.headers['content-type']).toBe('text/calendar; charset=utf-8');
		const text = body.body;
		expect(text).toContain(`UID:${ids.event0}`);
		expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
		expect(await horizontalOverflow(page).then((o) => o.scrollWidth)).toBeLessThanOrEqual(390);

		// The home page subscribes to the whole calendar rather than importing it once.
		await page.goto(`${origin()}/`);
		expect(await page.getByRole('link', { name: 'Subscribe to calendar' }).first().getAttribute('href')).toBe(
			`webcal://${host}:${hub.port}/events.ics`
		);
		expect(await page.getByText('Add to calendar').count()).toBe(0);
		await context.close();

		// No share sheet but a clipboard: the button copies the link.
		const copying = await browser.newContext({ viewport: PHONE });
		await copying.addInitScript(() => {
			const w = window as unknown as { copied: string[] };
			w.copied = [];
			Object.defineProperty(window, 'isSecureContext', { get: () => true });
			Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void w.copied.push(t) } });
		});
		const second = await copying.newPage();
		await second.goto(`${origin()}/events/abend-0`);
		await second.getByRole('button', { name: 'Copy link' }).click();
		await second.getByText('Link copied.').waitFor();
		expect(await second.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([`${origin()}/events/abend-0`]);
		await copying.close();

		// Without JavaScript there is no dead button; the calendar links still work (<details>).
		const plain = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
		const third = await plain.newPage();
		await third.goto(`${origin()}/events/abend-0`);
		expect(await third.getByRole('button', { name: /Share|Copy link/ }).count()).toBe(0);
		await third.getByText('Add to calendar').click();
		expect(await third.getByRole('link', { name: 'Google Calendar' }).isVisible()).toBe(true);
		await plain.close();
	});
});
