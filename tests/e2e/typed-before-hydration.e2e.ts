/**
 * What a person types into a form before the page's script has run survives hydration.
 *
 * On a slow load the server-rendered form is usable before Svelte hydrates it, and upstream Svelte's
 * `set_value`/`set_checked` then wrote the rendered values back over the person's input: an empty
 * "Add tag" name, so the `required` field silently blocked the submit (seen as a flaky browser test,
 * and real for anyone on a slow phone). patches/svelte+*.patch keeps such values, as `bind:value`
 * already does. Here the browser holds back the app's scripts until the fields are filled.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Route } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { listTags } from '../../src/lib/server/queries/tags';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { ensureDiscordUser, signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const HOST = 'e2e-hydration.example';

describe.runIf(inject('templateDatabase') && hasChromium)('input typed before hydration', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let siteId: string;
	let cookie: string;

	beforeAll(async () => {
		const site = await createSite({ name: 'Slow Load Collective' });
		siteId = site.id;
		await setPrimaryDomain(site.id, (await createDomain(site.id, HOST)).id);
		const editor = (await createMember(site, 'editor', { name: 'Erin Editor' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, editor, { global_name: 'Erin Editor' });
		cookie = await signIn(hub, HOST, editor);
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('keeps typed text and an unticked box through hydration, and the form then submits', async () => {
		const context = await browser.newContext();
		await context.addCookies(
			cookie.split('; ').map((c) => {
				const [name, ...value] = c.split('=');
				return { name: name!, value: value.join('='), domain: HOST, path: '/' };
			})
		);
		const page = await context.newPage();
		// Hold every script of the app until the form is filled in (scripts only: a held stylesheet
		// would block the parser at SvelteKit's inline start script, so no form would show either).
		const held: Route[] = [];
		let holding = true;
		await page.route(/\/_app\/immutable\/.*\.js$/, (route) => (holding ? held.push(route) : route.continue()));

		await page.goto(`http://${HOST}:${hub.port}/admin/events/tags`, { waitUntil: 'domcontentloaded' });
		await expect.poll(() => held.length).toBeGreaterThan(0);
		await page.locator('#add-name').fill('Screening');
		await page.locator('#add-slug').fill('screenings');
		await page.locator('input[name="noColor"]').last().uncheck();
		await page.locator('#add-color').fill('#ffd400');

		holding = false;
		for (const route of held.splice(0)) await route.continue();
		await page.waitForLoadState('networkidle');

		// Hydrated now (every chunk loaded, nothing in flight); the person's input is still there.
		expect(await page.locator('#add-name').inputValue()).toBe('Screening');
		expect(await page.locator('#add-slug').inputValue()).toBe('screenings');
		expect(await page.locator('input[name="noColor"]').last().isChecked()).toBe(false);
		expect(await page.locator('#add-color').inputValue()).toBe('#ffd400');

		await page.getByRole('button', { name: 'Add tag' }).click();
		await page.waitForURL(/\/admin\/events\/tags\?saved=1/);
		expect((await listTags(siteId)).map((t) => [t.name, t.slug, t.color])).toEqual([['Screening', 'screenings', '#ffd400']]);
		await context.close();
	});
});
