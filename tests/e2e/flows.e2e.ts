/**
 * Flows to their last step, in Chromium, as people do them:
 * - an owner makes a one-time invitation link; a second person, in another browser, opens it,
 *   signs in through Discord and accepts it, and lands in the site's admin with that role;
 * - a super admin creates a site with a first owner (on PostgreSQL and on the embedded PGlite
 *   database, whose single connection once froze the server here); the server keeps answering,
 *   and the owner signs in on the new site and finds its admin;
 * - a draft is previewed on its real address by a member (with a banner) and is a 404 for a visitor.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createEvent, createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

const SUPER = '444444444444444444';
const FIRST_OWNER = '555555555555555555';

/** Sign in through the fake Discord from whatever page offers the button, as `name`. */
async function signInAs(page: Page, hub: HubWithDiscord, name: string, backTo: string) {
	await page.getByRole('button', { name: 'Sign in with Discord' }).click();
	await page.waitForURL((u) => u.origin === hub.discord.origin);
	await page.getByLabel(name).check();
	await page.getByRole('button', { name: 'Authorize' }).click();
	await page.waitForURL(backTo);
	// Text typed before the page has hydrated is set back to the server's value (Svelte sets each
	// input's value when it hydrates), so forms are filled after that.
	await page.waitForLoadState('networkidle');
}

async function freshPage(browser: Browser, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width, height: 900 } });
	return { context, page: await context.newPage() };
}

/** Creating a site with its first owner from the hub panel, then that owner arriving. */
function siteCreationFlow(getHub: () => HubWithDiscord, getBrowser: () => Browser, slug: string) {
	return async () => {
		const hub = getHub();
		const hubOrigin = `http://hub.test:${hub.port}`;
		const admin = await freshPage(getBrowser());
		await admin.page.goto(`${hubOrigin}/login?next=%2Fadmin`);
		await signInAs(admin.page, hub, 'Sam Super', `${hubOrigin}/admin`);
		await admin.page.getByLabel('Name', { exact: true }).fill(`Flow Club ${slug}`);
		await admin.page.getByLabel('Address', { exact: true }).fill(slug);
		await admin.page.getByLabel('Timezone').fill('America/Chicago');
		await admin.page.getByLabel('First owner’s Discord id').fill(FIRST_OWNER);
		await admin.page.getByRole('button', { name: 'Create site' }).click();
		await admin.page.waitForURL(`${hubOrigin}/admin/sites/${slug}?created=1`);

		// The server still answers, at once: readiness, the hub, the new site.
		const started = performance.now();
		expect((await get(hub.origin, '/readyz', 'hub.test')).status).toBe(200);
		expect((await get(hub.origin, '/', `${slug}.hub.test`)).body).toContain(`Flow Club ${slug}`);
		expect(performance.now() - started).toBeLessThan(2_000);

		// The first owner signs in on the new site in another browser: the invitation applies.
		const owner = await freshPage(getBrowser());
		const siteOrigin = `http://${slug}.hub.test:${hub.port}`;
		await owner.page.goto(`${siteOrigin}/admin`);
		await signInAs(owner.page, hub, 'Olga First', `${siteOrigin}/admin`);
		await expect.poll(() => owner.page.getByRole('heading', { level: 1 }).first().textContent()).toBeTruthy();
		expect(await owner.page.locator('body').textContent()).toContain('Owner');
		await Promise.all([admin.context.close(), owner.context.close()]);
		expect((await get(hub.origin, '/readyz', 'hub.test')).status).toBe(200);
	};
}

describe.runIf(inject('templateDatabase') && hasChromium)('flows to their last step, on PostgreSQL', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let site: Awaited<ReturnType<typeof createSite>>;

	beforeAll(async () => {
		site = await createSite({ name: 'Invite Flow Club' });
		const ownerId = (await createMember(site, 'owner', { name: 'Ines Owner' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER } });
		ensureDiscordUser(hub.discord, ownerId, { global_name: 'Ines Owner' });
		ensureDiscordUser(hub.discord, '666666666666666666', { global_name: 'Nico Newcomer' });
		ensureDiscordUser(hub.discord, SUPER, { global_name: 'Sam Super' });
		ensureDiscordUser(hub.discord, FIRST_OWNER, { global_name: 'Olga First' });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('an invitation link made by the owner is accepted by a second person in another browser', async () => {
		const origin = `http://${site.slug}.hub.test:${hub.port}`;
		const owner = await freshPage(browser);
		await owner.page.goto(`${origin}/admin/members`);
		await signInAs(owner.page, hub, 'Ines Owner', `${origin}/admin/members`);
		await owner.page.getByLabel('Role', { exact: true }).selectOption('editor');
		await owner.page.getByRole('button', { name: 'Create invitation' }).click();
		const link = owner.page.getByLabel('Invitation link');
		await expect.poll(() => link.inputValue()).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
		const url = await link.inputValue();

		// A phone, another person, no session: open, sign in, accept.
		const guest = await freshPage(browser, 390);
		await guest.page.goto(url);
		await guest.page.getByRole('link', { name: 'Sign in to accept' }).click();
		await signInAs(guest.page, hub, 'Nico Newcomer', url);
		await guest.page.getByRole('button', { name: 'Accept invitation' }).click();
		await guest.page.waitForURL(`${origin}/admin`);
		expect(await guest.page.locator('body').textContent()).toContain('Editor');

		// The owner sees the new member; the link is spent for anyone else.
		await owner.page.reload();
		await expect.poll(() => owner.page.locator('body').textContent()).toContain('Nico Newcomer');
		const again = await freshPage(browser);
		await again.page.goto(url);
		expect(await again.page.locator('h1').textContent()).toContain('no longer valid');
		await Promise.all([owner.context.close(), guest.context.close(), again.context.close()]);
	});

	it(
		'a super admin creates a site with its first owner; the server answers; the owner arrives',
		siteCreationFlow(
			() => hub,
			() => browser,
			'flow-pg'
		)
	);

	it('a draft is previewed on its real address by a member, with a banner, and is a 404 for visitors', async () => {
		const draft = await createEvent(site, { title: 'Secret Screening', slug: 'secret-screening', status: 'draft' });
		const origin = `http://${site.slug}.hub.test:${hub.port}`;
		const visitor = await get(hub.origin, `/events/${draft.slug}`, `${site.slug}.hub.test`);
		expect(visitor.status).toBe(404);
		expect(visitor.body).not.toContain('Secret Screening');

		const member = await freshPage(browser);
		await member.page.goto(`${origin}/admin`);
		await signInAs(member.page, hub, 'Ines Owner', `${origin}/admin`);
		const response = await member.page.goto(`${origin}/events/${draft.slug}`);
		expect(response?.status()).toBe(200);
		expect(response?.headers()['cache-control']).toBe('private, no-store');
		expect(await member.page.getByRole('status').first().textContent()).toContain('Draft');
		expect(await member.page.locator('h1').textContent()).toContain('Secret Screening');
		// The member's visit left nothing for visitors in any cache.
		const after = await get(hub.origin, `/events/${draft.slug}`, `${site.slug}.hub.test`);
		expect(after.status).toBe(404);
		await member.context.close();
	});
});

describe.runIf(hasChromium)('site creation on the embedded PGlite database', () => {
	let hub: HubWithDiscord;
	let browser: Browser;

	beforeAll(async () => {
		// No DATABASE_URL: the embedded database, as `npm run demo` runs it (one connection).
		hub = await startHubWithDiscord({ env: { SUPER_ADMIN_DISCORD_IDS: SUPER, SEED_DEMO: 'false' } });
		ensureDiscordUser(hub.discord, SUPER, { global_name: 'Sam Super' });
		ensureDiscordUser(hub.discord, FIRST_OWNER, { global_name: 'Olga First' });
		browser = await launchChromium();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		// It must still shut down by itself (it hung on SIGTERM when frozen).
		expect(await hub?.stop()).toBe(0);
	});

	it(
		'a super admin creates a site with its first owner; the server answers; the owner arrives',
		siteCreationFlow(
			() => hub,
			() => browser,
			'flow-lite'
		)
	);
});
