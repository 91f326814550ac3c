/**
 * Sign-in in a real browser (Chromium): on a custom domain, through the fake Discord's authorize
 * page, back to that domain, signed in there and nowhere else. Custom domains resolve to loopback
 * with --host-resolver-rules. SCREENSHOT_DIR=<dir> also saves the pages for a visual check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite, createUser } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const A = 'a-films.example';
const B = 'b-zines.example';

async function shot(page: Page, name: string) {
	const dir = process.env.SCREENSHOT_DIR;
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

describe.runIf(inject('templateDatabase') && hasChromium)('sign-in in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let ownerId: string;
	let outsiderId: string;

	beforeAll(async () => {
		const siteA = await createSite({
			name: 'A Films',
			theme: { mode: 'dark', accent: '#f5c518', background: '#16131c', headingFont: 'didone' }
		});
		const siteB = await createSite({ name: 'B Zines' });
		await setPrimaryDomain(siteA.id, (await createDomain(siteA.id, A)).id);
		await setPrimaryDomain(siteB.id, (await createDomain(siteB.id, B)).id);
		ownerId = (await createMember(siteA, 'owner', { name: 'Olive Owner' })).discordId;
		outsiderId = (await createUser({ name: 'Oscar Outsider' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, ownerId, { global_name: 'Olive Owner' });
		ensureDiscordUser(hub.discord, outsiderId, { global_name: 'Oscar Outsider' });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	async function signInAs(page: Page, name: string) {
		const origin = `http://${A}:${hub.port}`;
		await page.goto(`${origin}/admin`);
		expect(page.url()).toBe(`${origin}/login?next=%2Fadmin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel(name).check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin}/admin`);
	}

	it('signs in on the custom domain through Discord and is signed in on that host only', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
		const page = await context.newPage();
		await page.goto(`http://${A}:${hub.port}/login?next=%2Fadmin`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
		await shot(page, 'login-desktop');

		await signInAs(page, 'Olive Owner');
		expect(await page.title()).toBe('Dashboard · A Films');
		expect(await page.locator('[data-role]').getAttribute('data-role')).toBe('owner');

		const sessionCookies = (await context.cookies()).filter((c) => c.name.includes('session_token'));
		expect(sessionCookies).toHaveLength(1);
		expect(sessionCookies[0]).toMatchObject({ domain: A, path: '/', httpOnly: true, sameSite: 'Lax' });
		// No cookie at all was left on the hub or B.
		expect(
			(await context.cookies([`http://hub.test:${hub.port}/`, `http://${B}:${hub.port}/`])).filter((c) => c.name.includes('session'))
		).toEqual([]);

		await page.goto(`http://${B}:${hub.port}/admin`);
		expect(page.url()).toBe(`http://${B}:${hub.port}/login?next=%2Fadmin`);
		await page.goto(`http://hub.test:${hub.port}/admin`);
		expect(page.url()).toBe(`http://hub.test:${hub.port}/login?next=%2Fadmin`);
		await context.close();
	});

	it('shows a signed-in outsider the “no access” page with a working sign-out button', async () => {
		const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
		const page = await context.newPage();
		await page.goto(`http://${A}:${hub.port}/login?next=%2Fadmin`);
		await shot(page, 'login-360');
		await signInAs(page, 'Oscar Outsider');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You don’t have access to this site');
		await shot(page, 'no-access-360');
		// Nothing overflows sideways at 360 px.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

		await page.getByRole('button', { name: 'Sign out' }).focus();
		await page.keyboard.press('Enter');
		await page.waitForURL(`http://${A}:${hub.port}/`);
		expect((await context.cookies()).filter((c) => c.name.includes('session_token'))).toEqual([]);
		await context.close();
	});

	it('lands a member who signs in on the hub on “my sites”, linking to the admin on the site’s domain', async () => {
		const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
		const page = await context.newPage();
		const hubOrigin = `http://hub.test:${hub.port}`;
		await page.goto(`${hubOrigin}/`);
		await page.getByRole('link', { name: 'Sign in', exact: true }).click();
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Olive Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${hubOrigin}/`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hello, Olive');
		const open = page.getByRole('link', { name: `Open admin on ${A}` });
		expect(await open.getAttribute('href')).toBe(`http://${A}:${hub.port}/admin`);
		await shot(page, 'hub-my-sites-390');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		// Sessions are per host: the site's admin asks to sign in there, and comes back to it.
		await open.click();
		await page.waitForURL(`http://${A}:${hub.port}/login?next=%2Fadmin`);
		await context.close();
	});
});
