/**
 * The Discord screen in Chromium with JavaScript on: a bad webhook URL shows its error next to
 * the field with the input kept; a good one posts one test message and opens the server-events
 * part (bot invite link, location choice, a channel id field only for voice/stage). Fits 320 px.
 * axe-core finds no serious or critical violation on the Discord, Followers and e-mail for
 * notices screens, on a desktop and at 320 px. Screenshots (desktop and 320 px) go to
 * docs/screenshots/admin/.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { startFakeDiscordApi, type FakeDiscordApi } from '../support/fake-discord-api';
import { db } from '../../src/lib/server/db';
import { follower } from '../../src/lib/server/db/schema';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
		await db()
			.insert(follower)
			.values([
				{ siteId: site.id, email: 'ada@example.org', status: 'confirmed', confirmedAt: new Date() },
				{ siteId: site.id, email: 'bo@example.org', status: 'pending' }
			]);
		hub = await startHubWithDiscord({
			env: {
				DATABASE_URL: tdb.url!,
				DISCORD_API_BASE_URL: api.apiBase,
				DISCORD_BOT_CLIENT_ID: '223456789012345678',
				DISCORD_BOT_TOKEN: api.botToken,
				// Mail "on" so the Followers screen exists (nothing is sent in this test).
				SMTP_URL: 'smtp://127.0.0.1:9',
				MAIL_FROM: 'hub@mail.test'
			}
		});
		ensureDiscordUser(hub.discord, ownerId, { global_name: 'Olga Owner' });
		browser = await launchChromium();
		origin = `http://${site.slug}.hub.test:${hub.port}`;
		// bypassCSP: only so that axe-core can be injected; the app's own scripts run under its CSP as usual.
		page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
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

	/** Serious and critical axe-core findings on the page as it is now. */
	async function axeFindings(): Promise<string[]> {
		await page.addScriptTag({ path: AXE });
		return page.evaluate(async () => {
			const r = await (
				window as unknown as {
					axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
				}
			).axe.run({ resultTypes: ['violations'] });
			return r.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
		});
	}

	it('axe-core: no serious or critical finding on Discord, Followers and e-mail for notices, desktop and 320 px', async () => {
		for (const width of [1280, 320]) {
			await page.setViewportSize({ width, height: 900 });
			for (const screen of ['/admin/discord', '/admin/followers', '/account/email']) {
				await page.goto(`${origin}${screen}`);
				await page.waitForLoadState('networkidle');
				expect(await axeFindings(), `${screen} at ${width} px`).toEqual([]);
			}
		}
		// The followers are listed (the table was part of what axe looked at).
		await page.goto(`${origin}/admin/followers`);
		expect(await page.getByText('ada@example.org').count()).toBeGreaterThan(0);
	});
});
