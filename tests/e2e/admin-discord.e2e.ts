/**
 * The Discord screen in Chromium with JavaScript on: a bad webhook URL shows its error next to
 * the field with the input kept; a good one posts one test message and opens the server-events
 * part (bot invite link, location choice, a channel id field only for voice/stage). Fits 320 px.
 * Screenshots (desktop and 320 px) go to docs/screenshots/admin/.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api';

const SHOTS = path.resolve('docs/screenshots/admin');

describe.runIf(inject('templateDatabase') && hasChromium)('the Discord screen in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let api: FakeDiscordApi;
	let browser: Browser;
	let page: Page;
	let origin: string;
	let guild: ReturnType<FakeDiscordApi['addGuild']>;

	beforeAll(async () => {
		api = await startFakeDiscordApi();
		guild = api.addGuild({ bot: true });
		const site = await createSite({ name: 'Bad Movies Theater' });
		const ownerId = (await createMember(site, 'owner', { name: 'Olga Owner' })).discordId;
		hub = await startHubWithDiscord({
			env: {
				DATABASE_URL: tdb.url!,
				DISCORD_API_BASE_URL: api.apiBase,
				DISCORD_BOT_CLIENT_ID: '223456789012345678',
				DISCORD_BOT_TOKEN: api.botToken
			}
		});
		ensureDiscordUser(hub.discord, ownerId, { global_name: 'Olga Owner' });
		browser = await launchChromium();
		origin = `http://${site.slug}.hub.test:${hub.port}`;
		page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
		await page.goto(`${origin}/admin/discord`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Olga Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin}/admin/discord`);
		await page.waitForLoadState('networkidle');
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
		await api?.close();
	});

	it('shows a bad webhook URL’s error beside the field, keeps it, and saves a good one after one test message', async () => {
		expect(await page.getByRole('link', { name: 'Discord' }).count()).toBeGreaterThan(0);
		const field = page.getByLabel('Webhook URL');
		await field.fill('https://discord.com/api/webhooks/not-a-webhook');
		await page.getByRole('button', { name: 'Test and save' }).click();
		await expect.poll(() => page.locator('#webhookUrl-error').textContent()).toContain('Paste a Discord webhook URL');
		expect(await field.inputValue()).toBe('https://discord.com/api/webhooks/not-a-webhook');
		expect(await field.getAttribute('aria-invalid')).toBe('true');
		expect(api.messages).toHaveLength(0);

		await field.fill(guild.webhookUrl);
		await page.getByRole('button', { name: 'Test and save' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('A test message was posted');
		expect(api.messages).toHaveLength(1);
		expect(await page.getByRole('link', { name: 'Add the bot to the server' }).getAttribute('href')).toContain(`guild_id=${guild.guildId}`);
		// The channel id is asked for only when the event is in a voice or stage channel.
		expect(await page.getByLabel('Channel id').count()).toBe(0);
		await page.getByLabel('In a voice channel').check();
		expect(await page.getByLabel('Channel id').count()).toBe(1);
		await page.getByLabel('Channel id').fill(guild.voiceId);
		await page.getByLabel('Create and update Discord events').check();
		await page.getByRole('button', { name: 'Save server events' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Saved.');
		expect(await duplicateIds(page)).toEqual([]);
		await page.screenshot({ path: path.join(SHOTS, 'discord-desktop.png'), fullPage: true });
	});

	it('fits a 320 px screen', async () => {
		await page.setViewportSize({ width: 320, height: 800 });
		await page.reload();
		await page.waitForLoadState('networkidle');
		expect((await horizontalOverflow(page)).offenders).toEqual([]);
		await page.screenshot({ path: path.join(SHOTS, 'discord-phone.png'), fullPage: true });
	});
});
