/**
 * The Fediverse screen as an owner uses it: the handle, a follower whose deliveries fail (the
 * health line says so), removing it with the keyboard-reachable Remove… control. At 320 px and on
 * a desktop nothing scrolls sideways and no id repeats. Then the owner switches federation off
 * and on again with the keyboard (axe-core finds nothing serious either way). Screenshots go to
 * SCREENSHOT_DIR if set.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { createRequire } from 'node:module';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { siteFollower } from '../../src/lib/server/db/schema';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const shots = process.env.SCREENSHOT_DIR;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core in the page: serious and critical violations (none expected). */
async function axe(page: Page): Promise<string[]> {
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

describe.runIf(inject('templateDatabase') && hasChromium)('fediverse screen in a browser', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let siteId: string;
	let origin: string;

	beforeAll(async () => {
		const site = await createSite({ slug: 'kino-fedi', name: 'Kino Fedi' });
		siteId = site.id;
		await db()
			.insert(siteFollower)
			.values([
				{
					siteId,
					actorUri: 'https://social.example/users/anna',
					handle: '@anna@social.example',
					inbox: 'https://social.example/users/anna/inbox'
				},
				{
					siteId,
					actorUri: 'https://down.example/users/bob',
					handle: '@bob@down.example',
					inbox: 'https://down.example/inbox',
					failures: 3,
					lastError: 'Failed to send activity: 503 Service Unavailable',
					lastErrorAt: new Date()
				}
			]);
		const owner = await createMember(site, 'owner', { name: 'Olga Owner' });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, FEDERATION_KEY: 'test-federation-key-0123456789-abcdef' } });
		ensureDiscordUser(hub.discord, owner.discordId, { global_name: 'Olga Owner' });
		browser = await launchChromium();
		origin = `http://${site.slug}.hub.test:${hub.port}`;
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('shows handle, followers and failing deliveries, and removes a follower (320 px and desktop)', async () => {
		const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
		const page = await context.newPage();
		await page.goto(`${origin}/login?next=%2Fadmin%2Ffediverse`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Olga Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin}/admin/fediverse`);
		await expect(page.getByTestId('handle').textContent()).resolves.toBe('@events@kino-fedi.hub.test');
		await expect(page.getByTestId('health').textContent()).resolves.toContain('Deliveries to 1 follower are failing');
		await expect(page.getByText('503 Service Unavailable').count()).resolves.toBe(1);
		expect((await horizontalOverflow(page)).offenders).toEqual([]);
		expect(await duplicateIds(page)).toEqual([]);
		if (shots) await page.screenshot({ path: path.join(shots, 'fediverse-phone.png'), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 900 });
		if (shots) await page.screenshot({ path: path.join(shots, 'fediverse-desktop.png'), fullPage: true });

		const bob = page.locator('[data-follower="https://down.example/users/bob"]');
		await bob.locator('summary').focus();
		await page.keyboard.press('Enter');
		await bob.getByRole('button', { name: 'Remove follower' }).click();
		await page.getByText('Follower removed.').waitFor();
		const left = await db().select().from(siteFollower).where(eq(siteFollower.siteId, siteId));
		expect(left.map((f) => f.handle)).toEqual(['@anna@social.example']);
		await context.close();
	}, 60_000);

	it('switches federation off and on with the keyboard (320 px, axe-core clean)', async () => {
		const context = await browser.newContext({ viewport: { width: 320, height: 800 }, bypassCSP: true });
		const page = await context.newPage();
		await page.goto(`${origin}/login?next=%2Fadmin%2Ffediverse`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Olga Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin}/admin/fediverse`);
		expect(await axe(page)).toEqual([]);
		const box = page.getByRole('checkbox', { name: 'Followable from the fediverse' });
		await expect(box.isChecked()).resolves.toBe(true);
		await box.focus();
		await page.keyboard.press('Space');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await page.getByText('Your site can no longer be followed from the fediverse.').waitFor();
		await expect(page.getByTestId('handle').count()).resolves.toBe(0);
		await expect(box.isChecked()).resolves.toBe(false);
		expect(await db().select().from(siteFollower).where(eq(siteFollower.siteId, siteId))).toEqual([]);
		expect(await axe(page)).toEqual([]);
		expect((await horizontalOverflow(page)).offenders).toEqual([]);
		await box.focus();
		await page.keyboard.press('Space');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await page.getByText('Your site can be followed from the fediverse again.').waitFor();
		await expect(page.getByTestId('handle').textContent()).resolves.toBe('@events@kino-fedi.hub.test');
		await context.close();
	}, 60_000);
});
