/**
 * Members and Domains in Chromium with JavaScript on (use:enhance): errors appear next to their
 * field with the input kept, a one-time link is shown once with a working Copy button, removals
 * need the confirmation box, a failed domain check says why and leaves the domain pending.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { db } from '../../src/lib/server/db';
import { membership, siteDomain } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';

describe.runIf(inject('templateDatabase') && hasChromium)('members and domains in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let page: Page;
	let origin: string;
	let site: Awaited<ReturnType<typeof createSite>>;
	let removable: { id: string };

	beforeAll(async () => {
		site = await createSite({ name: 'People Test Club' });
		const ownerId = (await createMember(site, 'owner', { name: 'Pia Owner' })).discordId;
		removable = await createMember(site, 'editor', { name: 'Remy Removable' });
		// The domain check connects to a closed port: it must fail and say so.
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, DOMAIN_VERIFY_CONNECT: '127.0.0.1:9' } });
		ensureDiscordUser(hub.discord, ownerId, { global_name: 'Pia Owner' });
		browser = await launchChromium();
		origin = `http://${site.slug}.hub.test:${hub.port}`;
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		page = await context.newPage();
		await page.goto(`${origin}/admin/members`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Pia Owner').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin}/admin/members`);
		await page.waitForLoadState('networkidle');
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('shows an invitation error next to its field, keeps the input, then makes a copyable one-time link', async () => {
		await page.getByLabel('Discord user id (optional)').fill('12ab');
		await page.getByRole('button', { name: 'Create invitation' }).click();
		await expect.poll(() => page.locator('#invite-discord-error').textContent()).toContain('A Discord user id is a number');
		expect(await page.getByLabel('Discord user id (optional)').inputValue()).toBe('12ab');
		expect(await page.getByLabel('Discord user id (optional)').getAttribute('aria-invalid')).toBe('true');

		await page.getByLabel('Discord user id (optional)').fill('');
		await page.getByLabel('Role', { exact: true }).selectOption('admin');
		await page.getByRole('button', { name: 'Create invitation' }).click();
		const link = page.getByLabel('Invitation link');
		await expect.poll(() => link.inputValue()).toMatch(new RegExp(`^${origin}/invite/[A-Za-z0-9_-]{43}$`));
		await page.getByRole('button', { name: 'Copy', exact: true }).click();
		// Plain http here: the selection fallback copies (the Clipboard API needs https).
		await expect.poll(() => page.getByRole('button', { name: 'Copied' }).count()).toBe(1);
	});

	it('removes a member only after the confirmation box is ticked', async () => {
		const row = page.locator(`[data-member="${removable.id}"]`);
		await row.getByText('Remove…').click();
		await row.getByRole('button', { name: 'Remove', exact: true }).click();
		// The browser's own required-checkbox check stops it: still a member.
		const stillThere = await db()
			.select()
			.from(membership)
			.where(and(eq(membership.siteId, site.id), eq(membership.userId, removable.id)));
		expect(stillThere).toHaveLength(1);
		await row.getByLabel('Remove Remy Removable from this site').check();
		await row.getByRole('button', { name: 'Remove', exact: true }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Member removed');
		expect(await page.getByText('Remy Removable').count()).toBe(0);
	});

	it('adds a domain, shows the record to create, keeps it pending when the check fails, removes it', async () => {
		await page.getByRole('link', { name: 'Domains' }).first().click();
		await page.getByLabel('Domain', { exact: true }).fill('https://Films.People-Club.example/');
		await page.getByRole('button', { name: 'Add domain' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Domain added');
		await expect.poll(() => page.locator('td', { hasText: 'CNAME' }).count()).toBe(1);

		await page.getByRole('button', { name: 'Verify now' }).click();
		await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Not verified yet');
		const [pending] = await db().select().from(siteDomain).where(eq(siteDomain.siteId, site.id));
		expect([pending!.hostname, pending!.verifiedAt]).toEqual(['films.people-club.example', null]);

		await page.getByText('Remove…').click();
		await page.getByLabel('Remove films.people-club.example').check();
		await page.getByRole('button', { name: 'Remove domain' }).click();
		await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Domain removed');
		expect(await db().select().from(siteDomain).where(eq(siteDomain.siteId, site.id))).toHaveLength(0);
	});
});
