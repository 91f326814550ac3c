/**
 * An owner's week in a real browser (Chromium) on the collective's own domain: sign in through
 * Discord, rename the site, change its accent colour, create an event with a picture, and see all
 * of it on the public pages. Uses the enhanced forms (JavaScript on), as people do.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { jpeg } from '../support/images';

const HOST = 'owner-films.example';
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase') && hasChromium)('owner flow in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let ownerId: string;

	beforeAll(async () => {
		const site = await createSite({ name: 'Old Name Film Club', timezone: 'Europe/Berlin' });
		await setPrimaryDomain(site.id, (await createDomain(site.id, HOST)).id);
		ownerId = (await createMember(site, 'owner', { name: 'Olive Owner' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, ownerId, { global_name: 'Olive Owner' });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('signs in, renames the site, changes a colour, creates an event with an image, and sees it public', async () => {
		const origin = `http://${HOST}:${hub.port}`;
		const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();

		await page.goto(`${origin}/admin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Olive Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin}/admin`);

		await page.getByRole('link', { name: 'Settings' }).first().click();
		await page.getByLabel('Name', { exact: true }).fill('Basement Cinema Collective');
		await page.getByRole('button', { name: 'Save settings' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('Settings saved');

		await page.getByRole('link', { name: 'Branding' }).first().click();
		await page.getByLabel('Accent colour', { exact: true }).fill('#0b6e4f');
		// The live preview follows before saving.
		await expect
			.poll(() => page.locator('[data-preview]').evaluate((el) => getComputedStyle(el).getPropertyValue('--accent').trim()))
			.toBe('#0b6e4f');
		await page.getByRole('button', { name: 'Save colours and fonts' }).click();
		await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved');

		await page.getByRole('link', { name: 'Events' }).first().click();
		await page.getByRole('link', { name: 'New event' }).click();
		await page.getByLabel('Title').fill('Midnight Monster Double Bill');
		await page.getByLabel('Start date', { exact: true }).fill(`${NEXT_YEAR}-02-13`);
		await page.getByLabel('Start time').fill('23:30');
		await page.getByLabel('Venue').fill('The Basement');
		await page.getByLabel('Upload an image').setInputFiles({ name: 'poster.jpg', mimeType: 'image/jpeg', buffer: await jpeg(1200, 800) });
		await page.getByLabel('Image description').fill('Two monsters on a poster');
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}\?saved=1$/);

		await page.goto(`${origin}/`);
		expect(await page.title()).toContain('Basement Cinema Collective');
		const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
		expect(accent).toBe('#0b6e4f');
		await page
			.getByRole('link', { name: /Midnight Monster Double Bill/ })
			.first()
			.click();
		await page.waitForURL(`${origin}/events/midnight-monster-double-bill`);
		const img = page.getByRole('img', { name: 'Two monsters on a poster' });
		await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
		expect(await page.locator('body').textContent()).toContain('23:30');
	});
});
