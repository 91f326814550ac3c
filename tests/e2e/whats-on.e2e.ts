/**
 * "What's on" as people use it: an owner ticks "List our events in the hub calendar" in Settings
 * (with a city) and saves; a visitor on the hub finds the event, filters by collective with the
 * keyboard, follows the link to the event on the collective's own site, and narrows to one venue
 * (the feed links keep it). At 320 px and on a
 * desktop nothing scrolls sideways and no id repeats. Screenshots go to SCREENSHOT_DIR if set.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import path from 'node:path';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createEvent, createMember, createSite } from '../support/factories';
import { createPlace } from '../../src/lib/server/queries/places';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const shots = process.env.SCREENSHOT_DIR;

describe.runIf(inject('templateDatabase') && hasChromium)("what's on in a browser", () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let slug: string;
	const hubOrigin = () => `http://hub.test:${hub.port}`;

	beforeAll(async () => {
		const site = await createSite({ slug: 'kino-wo', name: 'Kino am Kanal', timezone: 'Europe/Berlin' });
		slug = site.slug;
		const other = await createSite({ slug: 'zine-wo', name: 'Zine Collective', timezone: 'UTC' });
		// The first two evenings are in the big hall, the third on the roof.
		const hall = await createPlace(site.id, { slug: 'grosser-saal', name: 'Großer Saal', address: 'Weserstraße 7, 12047 Berlin' });
		const roof = await createPlace(site.id, { slug: 'dach', name: 'Dachterrasse', address: 'Weserstraße 7, 12047 Berlin' });
		for (let i = 0; i < 3; i++) {
			const at = i < 2 ? hall : roof;
			await createEvent(site, {
				slug: `abend-${i}`,
				title: `Filmabend mit einem recht langen Titel ${i}`,
				placeId: at.id,
				venueName: at.name,
				venueAddress: at.address,
				startsAt: new Date(Date.now() + (i + 1) * 86_400_000)
			});
			await createEvent(other, { title: `Zine reading ${i}`, startsAt: new Date(Date.now() + (i + 1) * 86_400_000 + 3_600_000) });
		}
		const owner = await createMember(site, 'owner', { name: 'Olga Owner' });
		const otherOwner = await createMember(other, 'owner', { name: 'Zed Owner' });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, owner.discordId, { global_name: 'Olga Owner' });
		ensureDiscordUser(hub.discord, otherOwner.discordId, { global_name: 'Zed Owner' });
		browser = await launchChromium();

		// Both owners opt in through the settings form, as they would.
		for (const [s, name, city] of [
			[site.slug, 'Olga Owner', 'Berlin'],
			[other.slug, 'Zed Owner', 'Leipzig']
		] as const) {
			const context = await browser.newContext();
			const page = await context.newPage();
			const origin = `http://${s}.hub.test:${hub.port}`;
			await page.goto(`${origin}/login?next=%2Fadmin%2Fsettings`);
			await page.getByRole('button', { name: 'Sign in with Discord' }).click();
			await page.waitForURL((u) => u.origin === hub.discord.origin);
			await page.getByLabel(name).check();
			await page.getByRole('button', { name: 'Authorize' }).click();
			await page.waitForURL(`${origin}/admin/settings`);
			const box = page.getByLabel('List our events in the hub calendar');
			await expect(box.isChecked()).resolves.toBe(false);
			await box.check();
			await page.getByLabel('City').fill(city);
			if (shots && s === site.slug) await page.screenshot({ path: path.join(shots, 'settings-hub-calendar.png'), fullPage: true });
			await page.getByRole('button', { name: 'Save settings' }).click();
			await page.getByText('Settings saved.').waitFor();
			await expect(page.getByLabel('List our events in the hub calendar').isChecked()).resolves.toBe(true);
			await context.close();
		}
	}, 180_000);

	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	for (const [name, viewport] of [
		['phone', { width: 320, height: 720 }],
		['desktop', { width: 1280, height: 900 }]
	] as const) {
		it(`shows the calendar without sideways scrolling (${name})`, async () => {
			const context = await browser.newContext({ viewport });
			const page = await context.newPage();
			await page.goto(`${hubOrigin()}/whats-on`);
			await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe("What's on");
			await expect(page.getByRole('link', { name: 'Filmabend mit einem recht langen Titel 0' }).count()).resolves.toBe(1);
			await expect(page.getByRole('link', { name: 'Zine reading 0' }).count()).resolves.toBe(1);
			const overflow = await horizontalOverflow(page);
			expect(overflow.offenders, JSON.stringify(overflow)).toEqual([]);
			expect(overflow.scrollWidth).toBeLessThanOrEqual(viewport.width);
			expect(await duplicateIds(page)).toEqual([]);
			if (shots) await page.screenshot({ path: path.join(shots, `whats-on-${name}.png`), fullPage: true });
			await context.close();
		});
	}

	it('filters by collective with the keyboard and leads to the event on the collective’s site', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${hubOrigin()}/whats-on`);
		await page.getByLabel('Collective').focus();
		await page.getByLabel('Collective').selectOption({ label: 'Kino am Kanal' });
		await page.getByRole('button', { name: 'Show' }).press('Enter');
		// A GET form: the empty city choice rides along (`&city=`), read as no city filter.
		await page.waitForURL((u) => u.pathname === '/whats-on' && u.searchParams.get('site') === slug);
		await expect(page.getByRole('link', { name: 'Zine reading 0' }).count()).resolves.toBe(0);
		await page.getByRole('link', { name: 'Filmabend mit einem recht langen Titel 1' }).click();
		await page.waitForURL(`http://${slug}.hub.test:${hub.port}/events/abend-1`);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Filmabend mit einem recht langen Titel 1');
		await context.close();
	});

	it('narrows to one venue without JavaScript, keeping it in the feeds (320 px)', async () => {
		const context = await browser.newContext({ viewport: { width: 320, height: 720 }, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${hubOrigin()}/whats-on`);
		const venue = page.getByLabel('Venue');
		await expect(venue.locator('option').allTextContents()).resolves.toEqual([
			'All venues',
			'Dachterrasse · Kino am Kanal',
			'Großer Saal · Kino am Kanal'
		]);
		await venue.selectOption({ label: 'Großer Saal · Kino am Kanal' });
		await page.getByRole('button', { name: 'Show' }).click();
		await page.waitForURL((u) => u.searchParams.get('place') === `${slug}.grosser-saal`);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe("What's on · Großer Saal");
		for (const i of [0, 1])
			await expect(page.getByRole('link', { name: `Filmabend mit einem recht langen Titel ${i}` }).count()).resolves.toBe(1);
		await expect(page.getByRole('link', { name: 'Filmabend mit einem recht langen Titel 2' }).count()).resolves.toBe(0);
		await expect(page.getByRole('link', { name: 'Zine reading 0' }).count()).resolves.toBe(0);
		// Each entry names the venue; the choice stays selected; the feeds are the venue's.
		await expect(page.getByText('Großer Saal, Weserstraße 7, 12047 Berlin').count()).resolves.toBe(2);
		await expect(page.getByLabel('Venue').inputValue()).resolves.toBe(`${slug}.grosser-saal`);
		await expect(page.getByRole('link', { name: 'Calendar (iCal)' }).getAttribute('href')).resolves.toBe(
			`http://hub.test:${hub.port}/whats-on.ics?place=${slug}.grosser-saal`
		);
		const overflow = await horizontalOverflow(page);
		expect(overflow.offenders, JSON.stringify(overflow)).toEqual([]);
		expect(await duplicateIds(page)).toEqual([]);
		if (shots) await page.screenshot({ path: path.join(shots, 'whats-on-venue-phone.png'), fullPage: true });
		// From the whole calendar, an entry's venue leads to that venue's calendar.
		await page.goto(`${hubOrigin()}/whats-on`);
		await page.getByRole('link', { name: "What's on at Dachterrasse, Weserstraße 7, 12047 Berlin" }).click();
		await page.waitForURL((u) => u.searchParams.get('place') === `${slug}.dach`);
		await expect(page.getByRole('link', { name: 'Filmabend mit einem recht langen Titel 2' }).count()).resolves.toBe(1);
		await expect(page.getByRole('link', { name: 'Filmabend mit einem recht langen Titel 0' }).count()).resolves.toBe(0);
		await context.close();
	});
});
