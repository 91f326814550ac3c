/**
 * The events and pages editors in Chromium, signed in through Discord on a custom domain:
 * with JavaScript (use:enhance: the preview updates in place, the slug suggestion follows the
 * title, "All day" hides the times) and without it (errors next to the field with the input kept,
 * the delete confirmation, the preview as a plain form post).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { duplicateIds, hasChromium, launchChromium } from '../support/browser';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { event, page as pageTable } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createDomain, createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { jpeg } from '../support/images';

const HOST = 'e2e-events.example';
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase') && hasChromium)('events and pages editors in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let siteId: string;
	let editorId: string;
	const origin = () => `http://${HOST}:${hub.port}`;

	beforeAll(async () => {
		const site = await createSite({ name: 'Picnic Collective', timezone: 'Europe/Berlin' });
		siteId = site.id;
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

	async function signedIn(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
		// The whole flow, sign-in included, works with JavaScript off too.
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(`${origin()}/login?next=%2Fadmin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Eddie Editor').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin()}/admin`);
		return { context, page };
	}

	it('creates an event with an image: live slug, all-day toggle, preview in place, then shown publicly', async () => {
		const { context, page } = await signedIn(true);
		await page.goto(`${origin()}/admin/events/new`);
		expect(await duplicateIds(page)).toEqual([]);
		await page.getByLabel('Title', { exact: true }).fill('Midsummer Picnic!');
		expect(await page.getByRole('textbox', { name: 'Web address' }).getAttribute('placeholder')).toBe('midsummer-picnic');

		await page.getByLabel('All day').check();
		expect(await page.locator('input[name="startTime"]').count()).toBe(0);
		await page.getByLabel('All day').uncheck();
		await page.getByLabel('Start date', { exact: true }).fill(`${NEXT_YEAR}-06-21`);
		await page.getByLabel('Start time').fill('19:30');
		await page.getByLabel('Venue').fill('Tempelhofer Feld');
		// The description in the rich text editor (it replaces the textarea once loaded), bold by Ctrl+B.
		const description = page.locator('.rte-text[role="textbox"]');
		await description.click();
		await page.keyboard.press('Control+b');
		await page.keyboard.type('Bring');
		await page.keyboard.press('Control+b');
		await page.keyboard.type(' a blanket.');
		await description.locator('strong', { hasText: 'Bring' }).waitFor();
		// Same page, input kept, nothing saved yet.
		expect(new URL(page.url()).pathname).toBe('/admin/events/new');
		expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Midsummer Picnic!');
		expect(await db().select().from(event).where(eq(event.siteId, siteId))).toHaveLength(0);

		await page.locator('input[name="image"]').setInputFiles({ name: 'picnic.jpg', mimeType: 'image/jpeg', buffer: await jpeg(900, 600) });
		await page.getByLabel('Image description').fill('A blanket on the grass');
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}\?saved=1$/);
		await page.getByText('Saved.').waitFor();

		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, siteId), eq(event.slug, 'midsummer-picnic')));
		expect(row!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-06-21T17:30:00.000Z`);
		expect(row!.imageAssetId).toBeTruthy();
		expect(row!.description).toBe('**Bring** a blanket.');

		await page.goto(`${origin()}/events/midsummer-picnic`);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Midsummer Picnic!');
		expect(await page.getByAltText('A blanket on the grass').count()).toBeGreaterThan(0);
		await context.close();
	});

	it('without JavaScript: errors next to the field with input kept, preview by form post, delete after confirming', async () => {
		const { context, page } = await signedIn(false);
		await page.goto(`${origin()}/admin/events/new`);
		await page.getByLabel('Title', { exact: true }).fill('Rainy Day Cinema');
		await page.getByLabel('Start date', { exact: true }).fill(`${NEXT_YEAR}-11-02`);
		await page.getByLabel('Start time').fill('20:00');
		// An end time before the start alone means the next day (overnight); an end date before the start is an error.
		await page.getByLabel('End date').fill(`${NEXT_YEAR}-11-01`);
		await page.getByLabel('End time').fill('19:00');
		await page.getByRole('button', { name: 'Save draft' }).click();
		await page.getByText('The event cannot end before it starts').waitFor();
		expect(await page.getByLabel('End time').getAttribute('aria-invalid')).toBe('true');
		expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Rainy Day Cinema');

		await page.getByLabel('End date').fill('');
		await page.getByLabel('End time').fill('22:00');
		await page.getByRole('button', { name: 'Save draft' }).click();
		await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}\?saved=1$/);
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, siteId), eq(event.slug, 'rainy-day-cinema')));
		// Winter in Berlin: UTC+1.
		expect(row!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-11-02T19:00:00.000Z`);

		await page.getByText('Delete this event').click();
		await page.getByLabel('Yes, delete “Rainy Day Cinema”').check();
		await page.getByRole('button', { name: 'Delete event' }).click();
		await page.waitForURL(`${origin()}/admin/events?deleted=1`);
		await page.getByText('The event was deleted.').waitFor();
		expect(await db().select().from(event).where(eq(event.id, row!.id))).toHaveLength(0);

		// Pages: preview is a plain form post that keeps the input and saves nothing.
		await page.goto(`${origin()}/admin/pages/new`);
		await page.getByLabel('Title', { exact: true }).fill('How to find us');
		await page.getByLabel('Text').fill('Take the *U8*.');
		await page.getByRole('button', { name: 'Update preview' }).click();
		await page.locator('.prose em', { hasText: 'U8' }).waitFor();
		expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('How to find us');
		expect(await db().select().from(pageTable).where(eq(pageTable.siteId, siteId))).toHaveLength(0);
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\/admin\/pages\/[0-9a-f-]{36}\?saved=1$/);
		await page.goto(`${origin()}/how-to-find-us`);
		expect(await page.locator('em', { hasText: 'U8' }).count()).toBe(1);
		await context.close();
	});
});
