/**
 * Tenant isolation of every query module: for each site-owned table, calls made for site A never
 * return site B's rows, and writes made for site A with site B's row ids change nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import * as events from './events';
import * as pages from './pages';
import * as links from './links';
import * as homeQ from './home';
import * as assets from './assets';
import * as members from './members';
import * as sites from './sites';
import * as audit from './audit';
import * as hub from './hub';
import { write } from '../services/write';

useTestDatabase();

type Seeded = Awaited<ReturnType<typeof seed>>;

async function seed(label: string) {
	const site = await f.createSite({ name: `Site ${label}` });
	const domain = await f.createDomain(site.id, `${label}-${site.slug}.example`);
	const asset = await f.createAsset(site);
	const upcoming = await f.createEvent(site, { title: `${label} upcoming`, imageAssetId: asset.id });
	const past = await f.createEvent(site, {
		title: `${label} past`,
		startsAt: new Date(Date.now() - 30 * 86_400_000),
		endsAt: new Date(Date.now() - 30 * 86_400_000 + 3_600_000)
	});
	const draft = await f.createEvent(site, { title: `${label} draft`, status: 'draft' });
	const page = await f.createPage(site, { title: `${label} page` });
	const nav = await f.createNavLink(site);
	const social = await f.createSocialLink(site);
	const member = await f.createMember(site, 'owner', { name: `${label} owner` });
	const invite = await members.createInvitation(site.id, {
		role: 'editor',
		discordId: '123456789012345678',
		expiresAt: new Date(Date.now() + 86_400_000),
		createdBy: member.id
	});
	await homeQ.saveHome(site.id, { heroTitle: `${label} hero`, heroText: '', intro: '', showEvents: true, showLinks: true });
	await write({ siteId: site.id, actor: { userId: member.id, name: member.name } }, (w) =>
		w.audit({ action: 'event.update', target: `${label} audit` })
	);
	return { site, domain, asset, upcoming, past, draft, page, nav, social, member, invite };
}

let A: Seeded;
let B: Seeded;

beforeAll(async () => {
	A = await seed('a');
	B = await seed('b');
});

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('reads for site A never return site B rows', () => {
	it('events', async () => {
		const now = new Date();
		const all = [
			...(await events.listUpcomingEvents(A.site.id, now)),
			...(await events.listPastEvents(A.site.id, now)).rows,
			...(await events.listFeedEvents(A.site.id, new Date(0))),
			...(await events.listEventsForAdmin(A.site.id, 'all', now)),
			...(await events.listEventsForAdmin(A.site.id, 'drafts', now))
		];
		expect(all.length).toBeGreaterThan(0);
		expect(all.every((e) => e.siteId === A.site.id)).toBe(true);
		expect(await events.getEventBySlug(A.site.id, B.upcoming.slug)).toBeUndefined();
		expect(await events.getEventBySlug(A.site.id, B.upcoming.slug, { drafts: true })).toBeUndefined();
		expect(await events.getEvent(A.site.id, B.upcoming.id)).toBeUndefined();
		expect(await events.eventsUsingAsset(A.site.id, B.asset.id)).toEqual([]);
		expect(await events.eventSlugTaken(A.site.id, B.upcoming.slug)).toBe(false);
	});

	it('pages', async () => {
		const all = [...(await pages.listPages(A.site.id)), ...(await pages.listPublishedPages(A.site.id))];
		expect(ids(all)).toContain(A.page.id);
		expect(ids(all)).not.toContain(B.page.id);
		expect(await pages.getPageBySlug(A.site.id, B.page.slug)).toBeUndefined();
		expect(await pages.getPageBySlug(A.site.id, B.page.slug, { drafts: true })).toBeUndefined();
		expect(await pages.getPage(A.site.id, B.page.id)).toBeUndefined();
	});

	it('links', async () => {
		expect(ids(await links.listNavLinks(A.site.id))).toEqual([A.nav.id]);
		expect(ids(await links.listSocialLinks(A.site.id))).toEqual([A.social.id]);
	});

	it('home', async () => {
		expect((await homeQ.getHome(A.site.id)).heroTitle).toBe('a hero');
	});

	it('assets', async () => {
		expect(ids(await assets.listAssets(A.site.id))).toEqual([A.asset.id]);
		expect(await assets.getAsset(A.site.id, B.asset.id)).toBeUndefined();
	});

	it('members and invitations', async () => {
		const list = await members.listMembers(A.site.id);
		expect(list.map((m) => m.userId)).toEqual([A.member.id]);
		expect(await members.getRole(A.site.id, B.member.id)).toBeNull();
		expect(ids(await members.listInvitations(A.site.id))).toEqual([A.invite.id]);
		expect((await hub.sitesOfUser(A.member.id)).map((s) => s.slug)).toEqual([A.site.slug]);
	});

	it('domains and audit', async () => {
		expect(ids(await sites.listDomains(A.site.id))).toEqual([A.domain.id]);
		const trail = await audit.listSiteAudit(A.site.id);
		expect(trail.map((t) => t.target)).toEqual(['a audit']);
	});
});

describe('writes for site A with site B ids change nothing', () => {
	it('events', async () => {
		expect(await events.updateEvent(A.site.id, B.upcoming.id, { title: 'hijacked' })).toBeUndefined();
		expect(await events.deleteEvent(A.site.id, B.upcoming.id)).toBeUndefined();
		const still = await events.getEvent(B.site.id, B.upcoming.id);
		expect(still?.title).toBe('b upcoming');
	});

	it('an event of A cannot point at an image of B (composite foreign key)', async () => {
		await expect(events.updateEvent(A.site.id, A.upcoming.id, { imageAssetId: B.asset.id })).rejects.toThrow();
		await expect(f.createEvent(A.site, { imageAssetId: B.asset.id })).rejects.toThrow();
	});

	it('a site cannot use another site’s asset as its logo (composite foreign key)', async () => {
		const { db } = await import('../db');
		const { site } = await import('../db/schema');
		const { eq } = await import('drizzle-orm');
		await expect(db().update(site).set({ logoAssetId: B.asset.id }).where(eq(site.id, A.site.id))).rejects.toThrow();
	});

	it('pages', async () => {
		expect(await pages.updatePage(A.site.id, B.page.id, { title: 'hijacked' })).toBeUndefined();
		expect(await pages.deletePage(A.site.id, B.page.id)).toBeUndefined();
		expect((await pages.getPage(B.site.id, B.page.id))?.title).toBe('b page');
	});

	it('links', async () => {
		expect(await links.updateNavLink(A.site.id, B.nav.id, { label: 'x', url: 'https://x.example' })).toBeUndefined();
		expect(await links.updateSocialLink(A.site.id, B.social.id, { platform: 'x', url: 'https://x.example' })).toBeUndefined();
		expect(await links.deleteLink('nav', A.site.id, B.nav.id)).toBeUndefined();
		expect(await links.deleteLink('social', A.site.id, B.social.id)).toBeUndefined();
		expect(await links.moveLink('nav', A.site.id, B.nav.id, 'up')).toBe(false);
		expect(ids(await links.listNavLinks(B.site.id))).toEqual([B.nav.id]);
		expect(ids(await links.listSocialLinks(B.site.id))).toEqual([B.social.id]);
	});

	it('assets', async () => {
		expect(await assets.updateAssetAlt(A.site.id, B.asset.id, 'hijacked')).toBeUndefined();
		expect(await assets.deleteAssetRow(A.site.id, B.asset.id)).toBeUndefined();
		expect((await assets.getAsset(B.site.id, B.asset.id))?.altText).toBe('');
	});

	it('members and invitations', async () => {
		expect(await members.removeMembership(A.site.id, B.member.id)).toBeUndefined();
		expect(await members.revokeInvitation(A.site.id, B.invite.id)).toBeUndefined();
		expect(await members.getRole(B.site.id, B.member.id)).toBe('owner');
		expect(ids(await members.listInvitations(B.site.id))).toEqual([B.invite.id]);
	});

	it('domains', async () => {
		expect(await sites.markDomainVerified(A.site.id, B.domain.id)).toBeUndefined();
		expect(await sites.setPrimaryDomain(A.site.id, B.domain.id)).toBeUndefined();
		expect(await sites.removeDomain(A.site.id, B.domain.id)).toBeUndefined();
		const bDomains = await sites.listDomains(B.site.id);
		expect(bDomains.map((d) => [d.id, d.isPrimary])).toEqual([[B.domain.id, false]]);
	});
});

describe('deleting a site', () => {
	it('removes all of its rows and none of another site', async () => {
		const { db } = await import('../db');
		const schema = await import('../db/schema');
		const { eq, count } = await import('drizzle-orm');
		const C = await seed('c');
		const tables = [
			schema.siteDomain,
			schema.asset,
			schema.event,
			schema.page,
			schema.navLink,
			schema.socialLink,
			schema.home,
			schema.membership,
			schema.invitation,
			schema.auditEvent
		] as const;
		const countFor = async (siteId: string) => {
			const out: number[] = [];
			for (const t of tables) {
				const [row] = await db().select({ n: count() }).from(t).where(eq(t.siteId, siteId));
				out.push(row!.n);
			}
			return out;
		};
		const beforeB = await countFor(B.site.id);
		expect((await countFor(C.site.id)).every((n) => n > 0)).toBe(true);
		await db().delete(schema.site).where(eq(schema.site.id, C.site.id));
		expect((await countFor(C.site.id)).every((n) => n === 0)).toBe(true);
		expect(await countFor(B.site.id)).toEqual(beforeB);
	});
});
