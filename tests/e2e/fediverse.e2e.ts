/**
 * The Fediverse screen as an owner uses it: the handle, a follower whose deliveries fail (the
 * health line says so), removing it with the keyboard-reachable Remove… control. At 320 px and on
 * a desktop nothing scrolls sideways and no id repeats. Then the owner switches federation off
 * and on again with the keyboard (axe-core finds nothing serious either way). A signed reply and
 * boost from a remote account (tests/support/fake-fediverse.ts) show as counts on the owner's screen,
 * and on no other site's. Screenshots go to SCREENSHOT_DIR if set.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { createRequire } from 'node:module';
import { eq } from 'drizzle-orm';
import { Announce, Create, Note } from '@fedify/fedify/vocab';
import { db } from '../../src/lib/server/db';
import { siteFediverseReaction, siteFollower } from '../../src/lib/server/db/schema';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createEvent, createMember, createSite } from '../support/factories';
import { startFakeFediverse, type FakeFediverse } from '../support/fake-fediverse';
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
	let otherOrigin: string;
	let jam: string;
	let remote: FakeFediverse;

	/** Sign in with the fake Discord as `name` on `site`, landing on the Fediverse screen. */
	async function signInToFediverse(page: Page, site: string, name: string) {
		await page.goto(`${site}/login?next=%2Fadmin%2Ffediverse`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel(name).check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${site}/admin/fediverse`);
	}

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
		jam = (await createEvent(site, { title: 'Kino Fedi Jam Night' })).id;
		const other = await createSite({ slug: 'zine-fedi', name: 'Zine Fedi' });
		await createEvent(other, { title: 'Zine Fedi Reading' });
		const owner = await createMember(site, 'owner', { name: 'Olga Owner' });
		const otherOwner = await createMember(other, 'owner', { name: 'Zed Owner' });
		remote = await startFakeFediverse(() => hub.origin);
		hub = await startHubWithDiscord({
			// Loopback allowed: the hub fetches the fake account's key to verify its signatures.
			env: { DATABASE_URL: tdb.url!, FEDERATION_KEY: 'test-federation-key-0123456789-abcdef', FEDERATION_ALLOW_PRIVATE: 'true' }
		});
		ensureDiscordUser(hub.discord, owner.discordId, { global_name: 'Olga Owner' });
		ensureDiscordUser(hub.discord, otherOwner.discordId, { global_name: 'Zed Owner' });
		browser = await launchChromium();
		origin = `http://${site.slug}.hub.test:${hub.port}`;
		otherOrigin = `http://${other.slug}.hub.test:${hub.port}`;
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
		await remote?.close();
	});

	it('shows handle, followers and failing deliveries, and removes a follower (320 px and desktop)', async () => {
		const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
		const page = await context.newPage();
		await signInToFediverse(page, origin, 'Olga Owner');
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
		await signInToFediverse(page, origin, 'Olga Owner');
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

	it('shows the owner the counts of a signed reply and boost, and another site’s owner nothing (320 px)', async () => {
		const host = 'kino-fedi.hub.test';
		const object = new URL(`http://${host}/ap/events/${jam}`);
		const boost = new Announce({ id: new URL(`${remote.fan}/statuses/1/activity`), actor: new URL(remote.fan), object });
		const reply = new Create({
			id: new URL(`${remote.fan}/statuses/2/activity`),
			actor: new URL(remote.fan),
			object: new Note({
				id: new URL(`${remote.fan}/statuses/2`),
				attribution: new URL(remote.fan),
				replyTarget: object,
				content: '<p>Count me in</p>'
			})
		});
		expect((await remote.postActivity(host, boost)).status).toBe(202);
		expect((await remote.postActivity(host, reply)).status).toBe(202);
		await expect
			.poll(async () => (await db().select().from(siteFediverseReaction).where(eq(siteFediverseReaction.siteId, siteId))).length)
			.toBe(2);

		const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
		const page = await context.newPage();
		await signInToFediverse(page, origin, 'Olga Owner');
		const item = page.locator(`[data-event="${jam}"]`);
		await expect(item.textContent()).resolves.toContain('Kino Fedi Jam Night');
		await expect(item.getByTestId('reaction-counts').textContent()).resolves.toBe('1 reply · 1 boost');
		expect((await horizontalOverflow(page)).offenders).toEqual([]);
		if (shots) await page.screenshot({ path: path.join(shots, 'fediverse-reactions-phone.png'), fullPage: true });
		await context.close();

		const otherContext = await browser.newContext({ viewport: { width: 320, height: 800 } });
		const otherPage = await otherContext.newPage();
		await signInToFediverse(otherPage, otherOrigin, 'Zed Owner');
		await otherPage.getByText('No replies or boosts yet.').waitFor();
		await expect(otherPage.locator('[data-event]').count()).resolves.toBe(0);
		await expect(otherPage.getByText('Kino Fedi Jam Night').count()).resolves.toBe(0);
		await expect(otherPage.getByTestId('reaction-counts').count()).resolves.toBe(0);
		await otherContext.close();
	}, 60_000);
});
