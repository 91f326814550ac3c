/**
 * Slug changes over real HTTP: the old `<slug>.<PLATFORM_DOMAIN>` answers 301 to the new address
 * with the path and query kept, only for the renamed site, until the grace period ends or another
 * site takes the old name.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { site, siteSlugRedirect } from '../../src/lib/server/db/schema';
import { SLUG_REDIRECT_DAYS } from '../../src/lib/server/queries/sites';
import { useTestDatabase } from '../support/db';
import { createMember, createSite, superAdmin } from '../support/factories';
import { createSite as createSiteService } from '../../src/lib/server/services/sites';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('slug change redirects', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let renamed: Awaited<ReturnType<typeof createSite>>;
	let other: Awaited<ReturnType<typeof createSite>>;
	let cookie: string;
	let owner: Awaited<ReturnType<typeof createMember>>;
	const host = (slug: string) => `${slug}.hub.test`;
	/** A change made from this test process reaches the server through LISTEN/NOTIFY: poll a moment for it. */
	async function statusSettles(path: string, h: string, want: number, ms = 5000) {
		const end = Date.now() + ms;
		let r = await get(hub.origin, path, h);
		while (r.status !== want && Date.now() < end) {
			await new Promise((ok) => setTimeout(ok, 100));
			r = await get(hub.origin, path, h);
		}
		return r;
	}

	beforeAll(async () => {
		renamed = await createSite({ name: 'Redirect Club', slug: 'redir-old' });
		other = await createSite({ name: 'Bystander Club', slug: 'redir-bystander' });
		owner = await createMember(renamed, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie = await signIn(hub, host('redir-old'), owner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('301s the old subdomain to the new one with path and query, and only for that site', async () => {
		const r = await postAdminForm(hub.origin, '/admin/settings?/slug', host('redir-old'), cookie, { slug: 'redir-new' });
		expect(r.status).toBe(303);
		expect(locationOf(r)).toContain('redir-new.hub.test/admin/settings');
		const [saved] = await db().select().from(siteSlugRedirect).where(eq(siteSlugRedirect.oldSlug, 'redir-old'));
		expect(saved?.siteId).toBe(renamed.id);
		const days = (saved!.expiresAt.getTime() - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(SLUG_REDIRECT_DAYS - 1);
		expect(days).toBeLessThanOrEqual(SLUG_REDIRECT_DAYS);

		const moved = await get(hub.origin, '/events/some-event?ref=poster', host('redir-old'));
		expect(moved.status).toBe(301);
		expect(locationOf(moved)).toMatch(/^https?:\/\/redir-new\.hub\.test(:\d+)?\/events\/some-event\?ref=poster$/);

		const now = await get(hub.origin, '/', host('redir-new'));
		expect(now.status).toBe(200);
		expect(now.body).toContain('Redirect Club');
		// The other site is untouched and does not redirect anywhere.
		const bystander = await get(hub.origin, '/', host('redir-bystander'));
		expect(bystander.status).toBe(200);
		expect(bystander.body).toContain('Bystander Club');
		expect(bystander.body).not.toContain('Redirect Club');
	});

	it('stops redirecting when another site takes the old name', async () => {
		expect((await get(hub.origin, '/', host('redir-old'))).status).toBe(301); // cached now
		// Created the way the hub does it (services/sites.ts), which tells every process.
		await createSiteService((await superAdmin()).platform, { name: 'Newcomer Club', slug: 'redir-old', timezone: 'UTC' });
		const r = await statusSettles('/', host('redir-old'), 200);
		expect(r.status).toBe(200);
		expect(r.body).toContain('Newcomer Club');
		expect(await db().select().from(siteSlugRedirect).where(eq(siteSlugRedirect.oldSlug, 'redir-old'))).toEqual([]);
	});

	it('stops redirecting after the grace period', async () => {
		// Sessions belong to one host: sign in again on the new address, as the owner would.
		const newCookie = await signIn(hub, host('redir-new'), owner.discordId);
		const r = await postAdminForm(hub.origin, '/admin/settings?/slug', host('redir-new'), newCookie, { slug: 'redir-third' });
		expect(r.status).toBe(303);
		// Shorten the grace period to two seconds before the server caches the redirect: the cached
		// answer must not outlive it (nothing notifies the server when a grace period simply ends).
		await db()
			.update(siteSlugRedirect)
			.set({ expiresAt: new Date(Date.now() + 2000) })
			.where(eq(siteSlugRedirect.oldSlug, 'redir-new'));
		expect((await get(hub.origin, '/', host('redir-new'))).status).toBe(301);
		await new Promise((ok) => setTimeout(ok, 2200));
		expect((await get(hub.origin, '/', host('redir-new'))).status).toBe(404);
		expect((await get(hub.origin, '/', host('redir-third'))).status).toBe(200);
	});

	it('deletes the redirects with the site', async () => {
		expect((await db().select().from(siteSlugRedirect).where(eq(siteSlugRedirect.siteId, renamed.id))).length).toBe(1);
		await db().delete(site).where(eq(site.id, renamed.id));
		expect(await db().select().from(siteSlugRedirect).where(eq(siteSlugRedirect.siteId, renamed.id))).toEqual([]);
		expect((await db().select().from(site).where(eq(site.id, other.id))).length).toBe(1);
	});
});
