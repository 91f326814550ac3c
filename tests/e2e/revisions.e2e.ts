/**
 * Autosave, revisions and focal points in Chromium, signed in through Discord on a custom
 * domain: a draft typed into a new page survives the tab being closed and is restored in a new
 * one; a saved version is restored from the history screen and shows on the public page; the
 * focal point chosen for an event image and the background becomes the public images'
 * object-position, and the shape chosen for them (radio buttons, by keyboard and without
 * JavaScript) their aspect ratio or fit; leaving with unsaved changes asks first; axe-core finds no serious or
 * critical violation on the new screens, at 320 px and on a desktop.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, draft, event as eventTable, page as pageTable, revision } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { actorOn, createAsset, createDomain, createEvent, createMember, createSite } from '../support/factories';
import { saveSeries } from '../../src/lib/server/services/series';
import sharp from 'sharp';
import { jpeg } from '../support/images';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const HOST = 'e2e-revisions.example';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = process.env.SCREENSHOT_DIR;

describe.runIf(inject('templateDatabase') && hasChromium)('autosave, revisions and focal points in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let context: BrowserContext;
	let siteId: string;
	let eventId: string;
	let eventSlug: string;
	let imageId: string;
	let seriesId: string;
	const origin = () => `http://${HOST}:${hub.port}`;

	beforeAll(async () => {
		const site = await createSite({ name: 'Harbour Film Society', tagline: 'Films by the sea', timezone: 'Europe/Amsterdam' });
		siteId = site.id;
		await setPrimaryDomain(site.id, (await createDomain(site.id, HOST)).id);
		const image = await createAsset(site);
		imageId = image.id;
		const ev = await createEvent(site, { title: 'Lighthouse Screening', venueName: 'Pier 3', imageAssetId: image.id });
		eventId = ev.id;
		eventSlug = ev.slug;
		const adminMember = await createMember(site, 'admin', { name: 'Ada Admin' });
		const admin = adminMember.discordId;
		const series = await saveSeries(await actorOn(site, adminMember, 'admin'), null, {
			title: 'Monday Matinee',
			slug: 'monday-matinee',
			startDate: '2031-01-06',
			startTime: '14:00',
			repeat: 'weekly',
			repeatWeekdays: 'MO',
			intent: 'publish'
		});
		seriesId = series.id;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, admin, { global_name: 'Ada Admin' });
		browser = await launchChromium();
		// bypassCSP: only so that axe-core can be injected; the app's own scripts run under its CSP as usual.
		context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
		const page = await context.newPage();
		await page.goto(`${origin()}/login?next=%2Fadmin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Ada Admin').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin()}/admin`);
		await page.close();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	/** axe-core in the page: serious and critical violations (none expected). */
	async function axe(page: Page): Promise<string[]> {
		await page.addScriptTag({ path: AXE });
		const result = await page.evaluate(async () => {
			const r = await (
				window as unknown as {
					axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
				}
			).axe.run({
				resultTypes: ['violations']
			});
			return r.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
		});
		return result;
	}

	/** At 320 px and at 1280 px: no serious axe finding, no sideways scrolling, a screenshot each. */
	async function checkScreen(page: Page, name: string) {
		for (const width of [320, 1280]) {
			await page.setViewportSize({ width, height: 900 });
			expect(await axe(page), `${name} at ${width}px`).toEqual([]);
			const overflow = await horizontalOverflow(page);
			expect(overflow.scrollWidth, `${name} at ${width}px: ${overflow.offenders.join(', ')}`).toBeLessThanOrEqual(overflow.innerWidth);
			if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
		}
		await page.setViewportSize({ width: 1280, height: 900 });
		expect(await duplicateIds(page)).toEqual([]);
	}

	/** The page editor's text: the rich text editor, once it has replaced the textarea (loaded lazily). */
	const textBox = (p: Page) => p.locator('.rte-text[role="textbox"]');

	it('restores an autosaved draft after the tab was closed, and the real save ends it', async () => {
		const first = await context.newPage();
		await first.goto(`${origin()}/admin/pages/new`);
		await first.getByLabel('Title', { exact: true }).fill('Open-air season');
		// The rich text editor, typed into as a person does (Ctrl+B for bold).
		await textBox(first).click();
		await first.keyboard.type('We screen ');
		await first.keyboard.press('Control+b');
		await first.keyboard.type('every Friday');
		await first.keyboard.press('Control+b');
		await first.keyboard.type(' at the harbour.');
		await first.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor({ timeout: 15_000 });
		// Typing went on after the first autosave: wait for the one that holds all of it.
		await expect
			.poll(async () => JSON.stringify(await db().select().from(draft).where(eq(draft.siteId, siteId))), { timeout: 15_000 })
			.toContain('at the harbour.');
		expect(await first.locator('[data-saved-ago]').textContent()).toMatch(/now|second/);
		await first.close();
		expect(await db().select().from(draft).where(eq(draft.siteId, siteId))).toHaveLength(1);

		const second = await context.newPage();
		await second.goto(`${origin()}/admin/pages/new`);
		await second.getByRole('alert').filter({ hasText: 'You have an unsaved draft from' }).waitFor();
		await checkScreen(second, 'draft-offer');
		await second.getByRole('button', { name: 'Restore draft' }).click();
		expect(await second.getByLabel('Title', { exact: true }).inputValue()).toBe('Open-air season');
		// Restored into the form's text and shown by the editor (whose next save would otherwise write its own over it).
		expect(await second.locator('textarea[name="body"]').inputValue()).toBe('We screen **every Friday** at the harbour.');
		await expect.poll(() => textBox(second).locator('strong', { hasText: 'every Friday' }).count()).toBe(1);
		await second.getByRole('button', { name: 'Publish' }).click();
		await second.waitForURL(/\/admin\/pages\/[0-9a-f-]{36}\?saved=1$/);
		expect(await db().select().from(draft).where(eq(draft.siteId, siteId))).toEqual([]);
		const pub = await context.newPage();
		await pub.goto(`${origin()}/open-air-season`);
		expect(await pub.locator('strong', { hasText: 'every Friday' }).count()).toBe(1);
		await pub.close();
		await second.close();
	});

	it('a recurring series autosaves too, and keeps its versions', async () => {
		const first = await context.newPage();
		await first.goto(`${origin()}/admin/events/series/${seriesId}`);
		await first.getByLabel('Title', { exact: true }).fill('Monday Matinee (classics)');
		await first.getByRole('status').filter({ hasText: 'Draft saved' }).waitFor({ timeout: 15_000 });
		expect(await first.locator('[data-saved-ago]').textContent()).toMatch(/now|second/);
		const [row] = await db()
			.select()
			.from(draft)
			.where(eq(draft.key, `series:${seriesId}`));
		expect(row!.data.title).toBe('Monday Matinee (classics)');
		await first.close();

		const second = await context.newPage();
		await second.goto(`${origin()}/admin/events/series/${seriesId}`);
		await second.getByRole('alert').filter({ hasText: 'You have an unsaved draft from' }).waitFor();
		await second.getByRole('button', { name: 'Restore draft' }).click();
		expect(await second.getByLabel('Title', { exact: true }).inputValue()).toBe('Monday Matinee (classics)');
		// Radio groups come back as they were (a restore once left "after N times" chosen here).
		expect(await second.getByRole('radio', { name: 'Never' }).isChecked()).toBe(true);
		await second.getByRole('button', { name: 'Save changes' }).click();
		await second.waitForURL(/\?saved=1$/);
		expect(
			await db()
				.select()
				.from(draft)
				.where(eq(draft.key, `series:${seriesId}`))
		).toEqual([]);
		await second.getByRole('link', { name: 'History' }).click();
		await second.waitForURL(/\/revisions$/);
		expect(await second.locator('.versions li').count()).toBe(2);
		expect(await second.locator('[data-field="title"] ins').textContent()).toContain('(classics)');
		await checkScreen(second, 'series-revisions');
		await second.close();
	});

	it('warns before leaving with unsaved changes', async () => {
		const page = await context.newPage();
		await page.goto(`${origin()}/admin/homepage`);
		await page.getByLabel('Headline', { exact: true }).fill('Not saved yet');
		let asked = '';
		page.once('dialog', (d) => {
			asked = d.message();
			void d.dismiss();
		});
		await page.getByRole('link', { name: 'Pages' }).first().click();
		await expect.poll(() => asked).toContain('unsaved changes');
		expect(new URL(page.url()).pathname).toBe('/admin/homepage');
		await page.close();
	});

	it('restores a saved version from the history screen; the public page shows it', async () => {
		const [row] = await db().select().from(pageTable).where(eq(pageTable.slug, 'open-air-season'));
		const page = await context.newPage();
		await page.goto(`${origin()}/admin/pages/${row!.id}`);
		await textBox(page).click();
		await page.keyboard.press('Control+a');
		await page.keyboard.type('We screen on Saturdays now.');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL(/\?saved=1$/);
		await page.getByRole('link', { name: 'History' }).click();
		await page.waitForURL(/\/revisions$/);
		expect(await page.locator('del', { hasText: 'Friday' }).count()).toBeGreaterThan(0);
		expect(await page.locator('ins', { hasText: 'Saturdays' }).count()).toBeGreaterThan(0);
		await checkScreen(page, 'revisions');
		// The older version (the last in the list), then restore it.
		await page.getByRole('navigation', { name: 'Saved versions' }).getByRole('link').last().click();
		await page.getByRole('button', { name: 'Restore this version' }).click();
		await page.getByRole('status').filter({ hasText: 'Version restored' }).waitFor();
		expect(await db().select().from(revision).where(eq(revision.targetId, row!.id))).toHaveLength(3);
		await page.goto(`${origin()}/open-air-season`);
		expect(await page.locator('strong', { hasText: 'every Friday' }).count()).toBe(1);
		await page.goto(`${origin()}/admin/drafts`);
		await checkScreen(page, 'drafts');
		await page.close();
	});

	it('the focal point of an event image and of the background becomes the public object-position', async () => {
		const page = await context.newPage();
		await page.goto(`${origin()}/admin/events/${eventId}`);
		await page.getByLabel('Across, from the left (%)').first().fill('20');
		await page.getByLabel('Down, from the top (%)').first().fill('85');
		expect(
			await page
				.locator('[data-crop="square"]')
				.first()
				.evaluate((el) => getComputedStyle(el).objectPosition)
		).toBe('20% 85%');
		await checkScreen(page, 'event-focal');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL(/\?saved=1$/);
		const [stored] = await db().select().from(asset).where(eq(asset.id, imageId));
		expect([stored!.focalX, stored!.focalY]).toEqual([20, 85]);
		await page.goto(`${origin()}/events`);
		const thumb = page.locator('img.thumb').first();
		expect(await thumb.evaluate((el) => getComputedStyle(el).objectPosition)).toBe('20% 85%');
		await page.goto(`${origin()}/events/${eventSlug}`);
		expect(await page.locator('.event-image img').evaluate((el) => getComputedStyle(el).objectPosition)).toBe('20% 85%');

		await page.goto(`${origin()}/admin/branding`);
		// The preview is the site's own: its name, tagline and next event, not filler text.
		const preview = page.locator('[data-preview]');
		expect(await preview.textContent()).toContain('Harbour Film Society');
		expect(await preview.textContent()).toContain('Films by the sea');
		expect(await preview.locator('[data-preview-event]').textContent()).toContain('Lighthouse Screening');
		expect(await preview.textContent()).not.toContain('nobody else shows');
		await page
			.locator('input[name="background"][type="file"]')
			.setInputFiles({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: await jpeg(1200, 600) });
		await page
			.locator('input[name="background"][type="file"]')
			.locator('xpath=ancestor::form')
			.getByRole('button', { name: 'Upload', exact: true })
			.click();
		await page.waitForURL(/\?saved=1$/);
		await page.locator('#background-focal-x').waitFor();
		await checkScreen(page, 'branding');
		// Clicking the image picks the point under the mouse.
		const frame = page.locator('#background-focal-x').locator('xpath=ancestor::fieldset').locator('.frame');
		const box = (await frame.boundingBox())!;
		await frame.click({ position: { x: box.width * 0.75, y: box.height * 0.25 } });
		expect(Number(await page.locator('#background-focal-x').inputValue())).toBeGreaterThanOrEqual(70);
		await page.getByLabel('Across, from the left (%)').fill('75');
		await page.getByLabel('Down, from the top (%)').fill('10');
		await page.getByRole('button', { name: 'Save focal point' }).click();
		await page.getByRole('status').filter({ hasText: 'Focal point saved' }).waitFor();
		await page.goto(`${origin()}/`);
		expect(await page.locator('img.hero-bg').evaluate((el) => getComputedStyle(el).objectPosition)).toBe('75% 10%');
		await page.close();
	});
	it('the shape of an event image and of the background: radio buttons by keyboard and without JavaScript, applied with CSS', async () => {
		const ratioOf = async (locator: ReturnType<Page['locator']>) => {
			const box = (await locator.boundingBox())!;
			return box.width / box.height;
		};
		// An upright poster (2:3): a title band at the top, the face to keep low on the right.
		const poster = await sharp(
			Buffer.from(
				`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900"><rect width="600" height="900" fill="#203040"/>` +
					`<rect width="600" height="160" fill="#e0b020"/><circle cx="420" cy="700" r="90" fill="#e04040"/></svg>`
			)
		)
			.jpeg()
			.toBuffer();
		const page = await context.newPage();
		await page.goto(`${origin()}/admin/events/${eventId}`);
		await page.locator('input[name="image"]').setInputFiles({ name: 'poster.jpg', mimeType: 'image/jpeg', buffer: poster });
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL(/\?saved=1$/);
		const posterId = (await db().select().from(eventTable).where(eq(eventTable.id, eventId)))[0]!.imageAssetId!;
		await page.setViewportSize({ width: 320, height: 800 });
		await page.goto(`${origin()}/admin/events/${eventId}`);
		await page.getByLabel('Across, from the left (%)').first().fill('70');
		await page.getByLabel('Down, from the top (%)').first().fill('78');
		const automatic = page.getByRole('radio', { name: 'Automatic: square in lists, the whole image on the event page' });
		expect(await automatic.isChecked()).toBe(true);
		await automatic.focus();
		await page.keyboard.press('ArrowDown');
		expect(await page.getByRole('radio', { name: 'Poster, upright (4:5)' }).isChecked()).toBe(true);
		await expect.poll(() => ratioOf(page.locator('[data-crop="chosen"]'))).toBeCloseTo(0.8, 1);
		await checkScreen(page, 'event-frame');
		await page.setViewportSize({ width: 320, height: 800 });
		if (SHOTS) await page.locator('fieldset.focal').screenshot({ path: path.join(SHOTS, 'event-frame-picker-320.png') });
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL(/\?saved=1$/);
		expect((await db().select().from(asset).where(eq(asset.id, posterId)))[0]!.frame).toBe('poster');
		// The public card and the event page: upright 4:5, cut around the focal point.
		await page.goto(`${origin()}/events`);
		expect(await ratioOf(page.locator('img.thumb').first())).toBeCloseTo(0.8, 1);
		await page.goto(`${origin()}/events/${eventSlug}`);
		const hero = page.locator('.event-image img');
		expect(await ratioOf(hero)).toBeCloseTo(0.8, 1);
		expect(await hero.evaluate((el) => getComputedStyle(el).objectFit)).toBe('cover');
		if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'event-page-poster-320.png'), fullPage: true });
		await page.goto(`${origin()}/events`);
		if (SHOTS)
			await page
				.locator('img.thumb')
				.first()
				.locator('xpath=ancestor::article')
				.screenshot({ path: path.join(SHOTS, 'event-card-poster-320.png') });

		// The branding preview wears the site's own colours: the saved accent, and a typed one at once.
		await page.goto(`${origin()}/admin/branding`);
		const previewAccent = () => page.locator('[data-preview]').evaluate((el) => getComputedStyle(el).getPropertyValue('--accent').trim());
		await page.locator('input#accent').fill('#0a6e3c');
		expect(await previewAccent()).toBe('#0a6e3c');
		await page.getByRole('button', { name: 'Save colours and fonts' }).click();
		await page.waitForURL(/\?saved=1$/);
		await page.reload();
		expect(await previewAccent()).toBe('#0a6e3c');
		expect(await page.locator('[data-preview] .name').textContent()).toBe('Harbour Film Society');
		// The background: "the whole image" by keyboard (Space on the focused choice).
		await page.getByRole('radio', { name: 'The whole image, never cut (your colours around it)' }).focus();
		await page.keyboard.press('Space');
		await page.getByRole('button', { name: 'Save focal point' }).click();
		await page.getByRole('status').filter({ hasText: 'Focal point saved' }).waitFor();
		await page.goto(`${origin()}/`);
		expect(await page.locator('img.hero-bg').evaluate((el) => getComputedStyle(el).objectFit)).toBe('contain');
		if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'home-whole-background-320.png'), fullPage: true });
		await page.close();

		// Without JavaScript the choice is a plain form field.
		const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
		const noJs = await plain.newPage();
		await noJs.goto(`${origin()}/admin/events/${eventId}`);
		await noJs.getByRole('radio', { name: 'Square (1:1)' }).check();
		await noJs.getByRole('button', { name: 'Save changes' }).click();
		await noJs.waitForURL(/\?saved=1$/);
		expect((await db().select().from(asset).where(eq(asset.id, posterId)))[0]!.frame).toBe('square');
		await plain.close();
	});
});
