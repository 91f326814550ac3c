/**
 * An organiser's whole recurring-event flow in Chromium, signed in through Discord on the site's
 * domain: a place and a tag, a new event "every 2nd Friday" (the picker in plain fields), one date
 * cancelled, another moved to the Saturday; then a visitor on a 360 px phone sees the dates right
 * on /events, on the moved date's page, on the tag's list and on the place's page.
 * Screenshots of the editor and the public pages go to EVENTS_SHOTS_DIR when it is set.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const HOST = 'e2e-series.example';
const PHONE = { width: 360, height: 740 };
const SHOTS = process.env.EVENTS_SHOTS_DIR;
const shot = async (page: Page, name: string) => {
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
};

/** The 2nd Friday of a month at least a week ahead (yyyy-mm-dd). */
function nextSecondFriday(): string {
	for (let d = new Date(Date.now() + 7 * 86_400_000); ; d = new Date(d.getTime() + 86_400_000)) {
		if (d.getUTCDay() === 5 && Math.ceil(d.getUTCDate() / 7) === 2) return d.toISOString().slice(0, 10);
	}
}

describe.runIf(inject('templateDatabase') && hasChromium)('recurring events: organiser and visitor in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let editorId: string;
	const origin = () => `http://${HOST}:${hub.port}`;
	const first = nextSecondFriday();

	beforeAll(async () => {
		const site = await createSite({ name: 'Friday Collective', timezone: 'Europe/Berlin' });
		await setPrimaryDomain(site.id, (await createDomain(site.id, HOST)).id);
		editorId = (await createMember(site, 'editor', { name: 'Eddie Editor' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, editorId, { global_name: 'Eddie Editor' });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('creates "every 2nd Friday", cancels one date, moves another; a visitor on a phone sees it right', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		await page.goto(`${origin()}/login?next=%2Fadmin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Eddie Editor').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin()}/admin`);

		// A place and a tag first.
		await page.goto(`${origin()}/admin/events/places`);
		await page.locator('#name').fill('Kiezkino');
		await page.locator('#address').fill('Weserstraße 7, 12047 Berlin');
		await page.locator('#latitude').fill('52.4861');
		await page.locator('#longitude').fill('13.4319');
		await page.locator('#accessibility').fill('Step-free from the courtyard');
		await page.getByRole('button', { name: 'Add place' }).click();
		await page.waitForURL(/\/admin\/events\/places\/[0-9a-f-]{36}\?saved=1/);
		await page.goto(`${origin()}/admin/events/tags`);
		await page.locator('#add-name').fill('Screening');
		await page.locator('input[name="noColor"]').last().uncheck();
		await page.locator('#add-color').fill('#ffd400');
		await page.getByRole('button', { name: 'Add tag' }).click();
		await page.waitForURL(/\/admin\/events\/tags\?saved=1/);
		await shot(page, 'admin-tags');

		// The event, repeating monthly on the 2nd Friday, overnight 20:00–01:00.
		await page.goto(`${origin()}/admin/events/new`);
		await page.getByLabel('Title').fill('Second Friday Film');
		await page.getByLabel('Start date', { exact: true }).fill(first);
		await page.getByLabel('Start time').fill('20:00');
		await page.getByLabel('End time').fill('01:00');
		await expect.poll(() => page.locator('#overnight-note').textContent()).toContain('Ends the next day');
		await page.getByLabel('How often').selectOption('monthly');
		await page.locator('input[name="repeatMonthly"][value="weekday"]').check();
		expect(await page.locator('label:has(input[name="repeatMonthly"][value="weekday"])').textContent()).toMatch(/On the 2nd\s+Friday/);
		await page.getByLabel('Place', { exact: true }).selectOption({ label: 'Kiezkino' });
		await page.getByLabel('Screening').check();
		expect(await duplicateIds(page)).toEqual([]);
		await shot(page, 'admin-editor-new');
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\/admin\/events\/series\/[0-9a-f-]{36}\?saved=1/);
		await expect.poll(() => page.locator('[data-rule]').textContent()).toContain('2nd Friday');
		await shot(page, 'admin-series');

		const dates = page.locator('ul.dates li a');
		const second = (await dates.nth(1).getAttribute('href'))!;
		const third = (await dates.nth(2).getAttribute('href'))!;
		// Cancel the second date.
		await page.goto(`${origin()}${second}`);
		await page.getByRole('button', { name: 'Cancel event' }).click();
		await page.waitForURL(/cancelled=1/);
		// Move the third to the Saturday, 21:00.
		await page.goto(`${origin()}${third}`);
		const thirdDate = await page.getByLabel('Start date', { exact: true }).inputValue();
		const saturday = new Date(Date.parse(`${thirdDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
		await page.getByLabel('Start date', { exact: true }).fill(saturday);
		await page.getByLabel('Start time').fill('21:00');
		await page.getByLabel('Title').fill('Second Friday Film — on Saturday');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.waitForURL(/saved=1/);
		await context.close();

		// A visitor on a phone.
		const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
		const visitor = await phone.newPage();
		await visitor.goto(`${origin()}/events`);
		const cards = visitor.locator('.event-card');
		await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(6);
		const texts = await cards.allTextContents();
		expect(texts[0]).toContain('Second Friday Film');
		expect(texts[1]).toMatch(/Cancelled/);
		expect(texts[2]).toContain('on Saturday');
		expect(texts.filter((t) => /Cancelled/.test(t))).toHaveLength(1);
		const o = await horizontalOverflow(visitor);
		expect(o.scrollWidth, o.offenders.join(', ')).toBeLessThanOrEqual(PHONE.width);
		await shot(visitor, 'public-events-phone');

		await cards.nth(2).locator('h3 a').click();
		await visitor.waitForURL(/\/events\/second-friday-film\/\d{4}-\d{2}-\d{2}$/);
		await expect.poll(() => visitor.locator('h1').textContent()).toContain('on Saturday');
		expect(await visitor.locator('.facts').textContent()).toContain('21:00');
		expect(await visitor.getByRole('link', { name: 'Kiezkino', exact: true }).getAttribute('href')).toBe('/places/kiezkino');
		expect((await horizontalOverflow(visitor)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
		await shot(visitor, 'public-event-phone');

		await visitor.goto(`${origin()}/events?tag=screening`);
		expect(await visitor.locator('.event-card').count()).toBeGreaterThanOrEqual(6);
		await visitor.goto(`${origin()}/places/kiezkino`);
		expect(await visitor.locator('h1').textContent()).toBe('Kiezkino');
		expect(await visitor.getByRole('link', { name: 'Open in OpenStreetMap' }).getAttribute('href')).toContain('mlat=52.486100');
		expect((await horizontalOverflow(visitor)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
		await shot(visitor, 'public-place-phone');
		await phone.close();
	}, 90_000);
});
