/**
 * The super admin in a real browser (Chromium): sign in on the hub, search the panel, switch from
 * site A to site B with the keyboard in the site picker, edit B's tagline, and see it on B's own
 * domain while A is unchanged; a second tab left on A still edits A (no "current site" state).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const SUPER = '333333333333333333';

describe.runIf(inject('templateDatabase') && hasChromium)('site switcher in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;

	beforeAll(async () => {
		const a = await createSite({ name: 'Alpha Switch Club', slug: 'alpha-switch', tagline: 'Alpha original' });
		const b = await createSite({ name: 'Bravo Switch Zine', slug: 'bravo-switch', tagline: 'Bravo original' });
		await setPrimaryDomain(a.id, (await createDomain(a.id, 'alpha-switch.example')).id);
		await setPrimaryDomain(b.id, (await createDomain(b.id, 'bravo-switch.example')).id);
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER } });
		ensureDiscordUser(hub.discord, SUPER, { global_name: 'Sam Super' });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('searches, switches from A to B with the keyboard, edits B; a second tab on A still edits A', async () => {
		const hubOrigin = `http://hub.test:${hub.port}`;
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const tab = await context.newPage();
		await tab.goto(`${hubOrigin}/login?next=%2Fadmin`);
		await tab.getByRole('button', { name: 'Sign in with Discord' }).click();
		await tab.waitForURL((u) => u.origin === hub.discord.origin);
		await tab.getByLabel('Sam Super').check();
		await tab.getByRole('button', { name: 'Authorize' }).click();
		await tab.waitForURL(`${hubOrigin}/admin`);
		// Typed before the page has hydrated, the text would be set back to the server's value.
		await tab.waitForLoadState('networkidle');

		await tab.getByLabel('Search sites').fill('switch');
		await tab.getByRole('button', { name: 'Search' }).click();
		await tab.waitForURL(`${hubOrigin}/admin?q=switch`);
		expect(await tab.getByRole('table').textContent()).toMatch(/Alpha Switch Club[\s\S]*Bravo Switch Zine/);

		// Picker: type, Enter → A's admin on the hub.
		const picker = tab.getByLabel('Open a site’s admin');
		await picker.fill('alpha-switch');
		await picker.press('Enter');
		await tab.waitForURL(`${hubOrigin}/sites/alpha-switch/admin`);
		expect(await tab.title()).toBe('Dashboard · Alpha Switch Club');

		// A second tab stays on A.
		const tabA = await context.newPage();
		await tabA.goto(`${hubOrigin}/sites/alpha-switch/admin/settings`);

		// Switch the first tab to B with the picker in the site admin header, using the suggestions.
		const headerPicker = tab.getByLabel('Open a site’s admin');
		await headerPicker.pressSequentially('bravo', { delay: 30 });
		await expect.poll(() => tab.locator('#site-switcher-options option').count()).toBeGreaterThan(0);
		await headerPicker.fill('bravo-switch');
		await headerPicker.press('Enter');
		await tab.waitForURL(`${hubOrigin}/sites/bravo-switch/admin`);
		await tab.getByRole('link', { name: 'Settings' }).first().click();
		await tab.waitForURL(`${hubOrigin}/sites/bravo-switch/admin/settings`);
		await tab.getByLabel('Tagline').fill('Bravo edited from the hub');
		await tab.getByRole('button', { name: 'Save settings' }).click();
		await expect.poll(() => tab.getByRole('status').textContent()).toContain('Settings saved');

		// The tab left on A edits A, not B.
		await tabA.getByLabel('Tagline').fill('Alpha edited in its own tab');
		await tabA.getByRole('button', { name: 'Save settings' }).click();
		await expect.poll(() => tabA.getByRole('status').textContent()).toContain('Settings saved');

		const visitor = await browser.newPage();
		await visitor.goto(`http://bravo-switch.example:${hub.port}/`);
		const bravo = await visitor.locator('body').textContent();
		expect(bravo).toContain('Bravo edited from the hub');
		expect(bravo).not.toContain('Alpha edited');
		await visitor.goto(`http://alpha-switch.example:${hub.port}/`);
		const alpha = await visitor.locator('body').textContent();
		expect(alpha).toContain('Alpha edited in its own tab');
		expect(alpha).not.toContain('Bravo edited');
	});
});
