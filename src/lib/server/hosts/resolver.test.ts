/**
 * HostResolver on a real database: resolution order, redirects, the two bounded caches, one
 * query per cold host (shared by concurrent requests), and what each kind of change invalidates.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { db, transaction } from '../db';
import { site, siteDomain, siteSlugRedirect } from '../db/schema';
import { totalQueries } from '../db/query-count';
import { changeSiteSlug, setPrimaryDomain, setSiteStatus as setSiteStatusRow, type SiteRow } from '../queries/sites';
import { addSiteDomain, makePrimaryDomain, removeSiteDomain } from '../services/domains';
import { changeSlug } from '../services/settings';
import { createSite as createSiteService, setSiteStatus } from '../services/sites';
import { onChange, publishChange } from '../changes';
import { HostResolver, type Resolution, type ResolverOptions, type SiteFinder } from './resolver';
import type { SiteContext } from './site-context';

useTestDatabase();

const PLATFORM = 'hub.test';
const OPTIONS: ResolverOptions = {
	platformDomain: PLATFORM,
	siteSlug: 'beta',
	maxEntries: 1000,
	maxNegative: 1000,
	ttlMs: 0,
	negativeTtlMs: 0
};

/** Writes below go through the services as a super admin: they publish what they change. */
const superAdmin = f.superAdmin;

/** A resolver that every change published by the services reaches, as in the server. */
const unsubscribers: (() => void)[] = [];
function resolverFor(options: Partial<ResolverOptions> = {}, finder?: SiteFinder): HostResolver {
	const r = new HostResolver({ ...OPTIONS, ...options }, finder);
	unsubscribers.push(onChange((m) => r.apply(m)));
	return r;
}
afterEach(() => unsubscribers.splice(0).forEach((u) => u()));

/** What a resolution says, in a form easy to compare. */
function summary(r: Resolution) {
	if (r.kind === 'site') return { kind: r.kind, slug: r.site.slug, status: r.site.status, redirectTo: r.redirectTo };
	if (r.kind === 'none') return { kind: r.kind, pendingToken: r.pendingToken ?? null };
	return { kind: r.kind };
}

/** Queries made while `fn` runs (drizzle's logger counts them; see db/query-count.ts). */
async function queriesDuring<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
	const before = totalQueries();
	const result = await fn();
	return { result, queries: totalQueries() - before };
}

let alpha: SiteRow, beta: SiteRow, gamma: SiteRow, delta: SiteRow, epsilon: SiteRow, zeta: SiteRow, eta: SiteRow;
let pendingToken: string;

beforeAll(async () => {
	alpha = await f.createSite({ slug: 'alpha', name: 'Alpha' });
	beta = await f.createSite({ slug: 'beta', name: 'Beta' });
	gamma = await f.createSite({ slug: 'gamma', name: 'Gamma' });
	delta = await f.createSite({ slug: 'delta', name: 'Delta' });
	epsilon = await f.createSite({ slug: 'epsilon', name: 'Epsilon' });
	zeta = await f.createSite({ slug: 'zeta', name: 'Zeta' });
	eta = await f.createSite({ slug: 'eta', name: 'Eta' });

	const films = await f.createDomain(alpha.id, 'films.example');
	await f.createDomain(alpha.id, 'www.films.example');
	await setPrimaryDomain(alpha.id, films.id);
	pendingToken = (await f.createDomain(alpha.id, 'pending.example', false)).verificationToken;
	// A custom domain that is also another site's platform subdomain: the domain comes first.
	await f.createDomain(epsilon.id, 'beta.hub.test');
	await setSiteStatusRow(gamma.id, 'suspended');
	await f.createDomain(delta.id, 'deleted.example');
	await db().update(site).set({ deletedAt: new Date() }).where(eq(site.id, delta.id));
	await f.createDomain(zeta.id, 'zeta.example');
	// A primary flag on a domain never verified (not possible through setPrimaryDomain) is ignored.
	await db().insert(siteDomain).values({ siteId: eta.id, hostname: 'eta.example', isPrimary: true, verificationToken: 't' });
});

describe('resolution order', () => {
	const site = (slug: string, redirectTo: string | null = null, status = 'active') => ({ kind: 'site', slug, status, redirectTo });
	const none = { kind: 'none', pendingToken: null };

	it.each([
		// 1. verified custom domains; non-primary ones redirect to the primary
		['films.example', site('alpha')],
		['www.films.example', site('alpha', 'films.example')],
		['zeta.example', site('zeta', 'zeta.hub.test')],
		// a custom domain wins over the slug subdomain it looks like (and, not primary, redirects)
		['beta.hub.test', site('epsilon', 'epsilon.hub.test')],
		// 2. <slug>.<PLATFORM_DOMAIN>; redirects to a primary custom domain when there is one
		['alpha.hub.test', site('alpha', 'films.example')],
		['zeta.hub.test', site('zeta')],
		['eta.hub.test', site('eta')],
		['gamma.hub.test', site('gamma', null, 'suspended')],
		// 3. the hub
		['hub.test', { kind: 'hub' }],
		// 4. local hosts: <slug>.localhost by slug (never redirected), else SITE_SLUG
		['localhost', site('beta')],
		['127.0.0.1', site('beta')],
		['[::1]', site('beta')],
		['alpha.localhost', site('alpha')],
		['gamma.localhost', site('gamma', null, 'suspended')],
		['nobody.localhost', site('beta')],
		['a.b.localhost', site('beta')],
		// 5. nothing: never SITE_SLUG on a public name
		['nobody.hub.test', none],
		['x.alpha.hub.test', none],
		['unknown.example', none],
		['beta', none],
		['eta.example', { kind: 'none', pendingToken: 't' }],
		// deleted sites resolve by nothing
		['delta.hub.test', none],
		['deleted.example', none],
		['delta.localhost', site('beta')],
		// unverified domains do not resolve, but carry their verification token
		['pending.example', { kind: 'none', pendingToken: 'TOKEN' }]
	])('%s', async (host, expected) => {
		const r = resolverFor();
		const { result, queries } = await queriesDuring(async () => r.resolve(host));
		const want = 'pendingToken' in expected && expected.pendingToken === 'TOKEN' ? { ...expected, pendingToken } : expected;
		expect(summary(result)).toEqual(want);
		expect(result.host).toBe(host);
		// One query per cold host, none for the hub.
		expect(queries).toBe(host === PLATFORM ? 0 : 1);
		expect(r.lookups).toBe(host === PLATFORM ? 0 : 1);
	});

	it('without SITE_SLUG, local hosts that name no site resolve to nothing', async () => {
		const r = resolverFor({ siteSlug: undefined });
		expect(summary(await r.resolve('localhost'))).toEqual(none);
		expect(summary(await r.resolve('nobody.localhost'))).toEqual(none);
		expect(summary(await r.resolve('alpha.localhost'))).toEqual(site('alpha'));
	});

	it('with PLATFORM_DOMAIN=localhost, localhost is the hub and <slug>.localhost a site', async () => {
		const r = resolverFor({ platformDomain: 'localhost' });
		expect(summary(await r.resolve('localhost'))).toEqual({ kind: 'hub' });
		expect(summary(await r.resolve('zeta.localhost'))).toEqual(site('zeta'));
		expect(summary(await r.resolve('127.0.0.1'))).toEqual(site('beta'));
		// A non-primary custom domain redirects to the site's subdomain of the platform.
		expect(summary(await r.resolve('zeta.example'))).toEqual(site('zeta', 'zeta.localhost'));
	});

	it('carries what pages need without another query (theme, primary host, status)', async () => {
		const r = resolverFor();
		const res = await r.resolve('www.films.example');
		if (res.kind !== 'site') throw new Error('expected a site');
		expect(res.site).toMatchObject({ id: alpha.id, name: 'Alpha', primaryHost: 'films.example', status: 'active' });
		expect(res.site.theme).toBeDefined();
	});
});

describe('cache', () => {
	it('answers a warm host from memory, synchronously and without a query', async () => {
		const r = resolverFor();
		await r.resolve('films.example');
		await r.resolve('nobody.example');
		const before = totalQueries();
		const warm = r.resolve('films.example');
		const warmMiss = r.resolve('nobody.example');
		expect(warm).not.toBeInstanceOf(Promise);
		expect(warmMiss).not.toBeInstanceOf(Promise);
		expect(totalQueries() - before).toBe(0);
		expect(r.lookups).toBe(2);
	});

	it('makes one query for many concurrent requests of one cold host', async () => {
		const r = resolverFor();
		const { result, queries } = await queriesDuring(() => Promise.all(Array.from({ length: 50 }, () => r.resolve('films.example'))));
		expect(queries).toBe(1);
		expect(r.lookups).toBe(1);
		expect(new Set(result.map((x) => (x.kind === 'site' ? x.site : x))).size).toBe(1);
		// Unknown hosts too.
		const misses = await queriesDuring(() => Promise.all(Array.from({ length: 50 }, () => r.resolve('flood.example'))));
		expect(misses.queries).toBe(1);
	});

	it('reaches the database once per distinct unknown host, and bounds what it remembers of them', async () => {
		const r = resolverFor({ maxNegative: 20 });
		const flood = Array.from({ length: 20 }, (_, i) => `random-${i}.example`);
		const first = await queriesDuring(() => Promise.all(flood.map((h) => r.resolve(h))));
		expect(first.queries).toBe(20);
		const again = await queriesDuring(() => Promise.all(flood.map((h) => r.resolve(h))));
		expect(again.queries).toBe(0);
		// Past the bound, the oldest unknown hosts are forgotten, not the known ones.
		await Promise.all(Array.from({ length: 30 }, (_, i) => r.resolve(`more-${i}.example`)));
		expect(r.size.misses).toBe(20);
	});

	it('cannot have its known hosts evicted by a flood of unknown ones', async () => {
		const r = resolverFor({ maxEntries: 5, maxNegative: 10 });
		const hot = ['films.example', 'alpha.hub.test', 'zeta.hub.test', 'hub.test', 'localhost'];
		for (const h of hot) await r.resolve(h);
		await Promise.all(Array.from({ length: 200 }, (_, i) => r.resolve(`junk-${i}.example`)));
		expect(r.size.hits).toBe(5);
		expect(r.size.misses).toBe(10);
		const { queries } = await queriesDuring(async () => {
			for (const h of hot) expect(r.resolve(h)).not.toBeInstanceOf(Promise);
		});
		expect(queries).toBe(0);
	});

	it('bounds known hosts too (least recently used goes first)', async () => {
		const r = resolverFor({ maxEntries: 2 });
		await r.resolve('alpha.hub.test');
		await r.resolve('zeta.hub.test');
		r.resolve('alpha.hub.test'); // recently used
		await r.resolve('eta.hub.test');
		expect(r.peek('alpha.hub.test')).toBeDefined();
		expect(r.peek('zeta.hub.test')).toBeUndefined();
		expect(r.size.hits).toBe(2);
	});

	it('expires entries after their TTL', async () => {
		const r = resolverFor({ ttlMs: 40, negativeTtlMs: 40 });
		await r.resolve('films.example');
		await r.resolve('nobody.example');
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(r.peek('films.example')).toBeUndefined();
		expect(r.peek('nobody.example')).toBeUndefined();
	});
});

describe('invalidation by changes', () => {
	it('a new verified domain resolves at once, though it was cached as unknown', async () => {
		const r = resolverFor();
		expect(summary(await r.resolve('new-beta.example')).kind).toBe('none');
		const admin = await superAdmin();
		await addSiteDomain(await admin.on(beta), { hostname: 'new-beta.example' }, { attachVerified: true });
		expect(summary(await r.resolve('new-beta.example'))).toMatchObject({ kind: 'site', slug: 'beta', redirectTo: 'beta.hub.test' });
	});

	it('a slug rename drops the old subdomain and brings up the new one, local ones included', async () => {
		const renamed = await f.createSite({ slug: 'before', name: 'Renamed' });
		const r = resolverFor();
		expect(summary(await r.resolve('before.hub.test')).kind).toBe('site');
		expect(summary(await r.resolve('after.hub.test')).kind).toBe('none');
		// Answered by the SITE_SLUG fallback until the slug exists.
		expect(summary(await r.resolve('after.localhost'))).toMatchObject({ slug: 'beta' });
		const admin = await superAdmin();
		await changeSlug(await admin.on(renamed), { slug: 'after' });
		// The old subdomain now redirects to the new one (grace period), cached only until it ends.
		const old = await r.resolve('before.hub.test');
		expect(summary(old)).toMatchObject({ kind: 'site', slug: 'after', redirectTo: 'after.hub.test' });
		expect(old.kind === 'site' && old.until!.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
		expect(summary(await r.resolve('after.hub.test'))).toMatchObject({ kind: 'site', slug: 'after' });
		expect(summary(await r.resolve('after.localhost'))).toMatchObject({ kind: 'site', slug: 'after' });
		// A new site taking the old name frees it, and the cached redirect goes with the notification.
		await createSiteService(admin.platform, { slug: 'before', name: 'Taker', timezone: 'UTC' });
		expect(summary(await r.resolve('before.hub.test'))).toMatchObject({ kind: 'site', slug: 'before', redirectTo: null });
	});

	it('an old slug whose grace period ended resolves to nothing', async () => {
		const moved = await f.createSite({ slug: 'gone-old', name: 'Moved' });
		await changeSiteSlug(moved.id, 'gone-new');
		await db()
			.update(siteSlugRedirect)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(siteSlugRedirect.oldSlug, 'gone-old'));
		expect(summary(await resolverFor().resolve('gone-old.hub.test')).kind).toBe('none');
	});

	it('a new site is reachable at once on <slug>.localhost, which the SITE_SLUG fallback answered before', async () => {
		const r = resolverFor();
		expect(summary(await r.resolve('newcomer.localhost'))).toMatchObject({ slug: 'beta' });
		await createSiteService((await superAdmin()).platform, { slug: 'newcomer', name: 'Newcomer', timezone: 'UTC' });
		expect(summary(await r.resolve('newcomer.localhost'))).toMatchObject({ slug: 'newcomer' });
	});

	it('a primary-domain change moves every redirect of the site', async () => {
		const s = await f.createSite({ slug: 'moving', name: 'Moving' });
		const one = await f.createDomain(s.id, 'one.example');
		const two = await f.createDomain(s.id, 'two.example');
		await setPrimaryDomain(s.id, one.id);
		const r = resolverFor();
		const redirects = async () =>
			Object.fromEntries(
				await Promise.all(
					['one.example', 'two.example', 'moving.hub.test'].map(async (h) => {
						const res = await r.resolve(h);
						return [h, res.kind === 'site' ? res.redirectTo : res.kind];
					})
				)
			);
		expect(await redirects()).toEqual({ 'one.example': null, 'two.example': 'one.example', 'moving.hub.test': 'one.example' });
		const admin = await (await superAdmin()).on(s);
		await makePrimaryDomain(admin, { id: two.id });
		expect(await redirects()).toEqual({ 'one.example': 'two.example', 'two.example': null, 'moving.hub.test': 'two.example' });
		await removeSiteDomain(admin, { id: two.id, confirm: 'yes' });
		expect(await redirects()).toEqual({ 'one.example': 'moving.hub.test', 'two.example': 'none', 'moving.hub.test': null });
	});

	it('suspending a site changes its cached status on every host', async () => {
		const s = await f.createSite({ slug: 'pausing', name: 'Pausing' });
		await f.createDomain(s.id, 'pausing.example');
		const r = resolverFor();
		await r.resolve('pausing.example');
		await r.resolve('pausing.hub.test');
		await setSiteStatus((await superAdmin()).platform, s.id, 'suspended');
		expect(summary(await r.resolve('pausing.example'))).toMatchObject({ status: 'suspended' });
		expect(summary(await r.resolve('pausing.hub.test'))).toMatchObject({ status: 'suspended' });
	});

	it('a deleted site stops resolving on all its hosts', async () => {
		const s = await f.createSite({ slug: 'leaving', name: 'Leaving' });
		await f.createDomain(s.id, 'leaving.example');
		const r = resolverFor();
		expect((await r.resolve('leaving.example')).kind).toBe('site');
		expect((await r.resolve('leaving.hub.test')).kind).toBe('site');
		await transaction(async () => {
			await db().update(site).set({ deletedAt: new Date() }).where(eq(site.id, s.id));
			await publishChange({ type: 'hosts', siteId: s.id, hosts: [] });
		});
		expect((await r.resolve('leaving.example')).kind).toBe('none');
		expect((await r.resolve('leaving.hub.test')).kind).toBe('none');
	});

	it('content changes keep host entries; "all" drops everything', async () => {
		const r = resolverFor();
		await r.resolve('films.example');
		await r.resolve('nobody.example');
		r.apply({ type: 'content', siteId: alpha.id });
		expect(r.peek('films.example')).toBeDefined();
		expect(r.peek('nobody.example')).toBeDefined();
		r.apply({ type: 'all' });
		expect(r.size).toEqual({ hits: 0, misses: 0, sites: 0 });
	});

	it('a change for one site keeps other sites cached', async () => {
		const r = resolverFor();
		await r.resolve('films.example');
		await r.resolve('zeta.hub.test');
		r.apply({ type: 'hosts', siteId: alpha.id, hosts: [] });
		expect(r.peek('films.example')).toBeUndefined();
		expect(r.peek('zeta.hub.test')).toBeDefined();
	});
});

describe('lookups racing with changes', () => {
	/** A finder whose answers the test releases by hand. */
	function manualFinder() {
		const calls: { host: string; answer: (slug: string) => void }[] = [];
		const finder: SiteFinder = (host) =>
			new Promise((resolve) => {
				calls.push({ host, answer: (slug) => resolve({ site: { id: slug, slug, primaryHost: host } as SiteContext }) });
			});
		return { calls, finder };
	}
	const slugOf = (r: Resolution | undefined) => (r?.kind === 'site' ? r.site.slug : r?.kind);

	it('does not cache what a lookup read before an invalidation', async () => {
		const { calls, finder } = manualFinder();
		const r = resolverFor({}, finder);
		const first = r.resolve('race.example');
		r.apply({ type: 'hosts', hosts: ['race.example'] });
		calls[0]!.answer('old');
		expect(slugOf(await first)).toBe('old'); // its callers still get an answer
		expect(r.peek('race.example')).toBeUndefined();
		const second = r.resolve('race.example');
		expect(calls).toHaveLength(2);
		calls[1]!.answer('new');
		expect(slugOf(await second)).toBe('new');
		expect(slugOf(r.peek('race.example'))).toBe('new');
	});

	it('does not let requests after an invalidation join a lookup started before it', async () => {
		const { calls, finder } = manualFinder();
		const r = resolverFor({}, finder);
		const before = r.resolve('race.example');
		r.apply({ type: 'hosts', siteId: 'x', hosts: [] });
		const after = r.resolve('race.example');
		expect(calls).toHaveLength(2);
		// The newer lookup finishes first; the older one finishing later must not overwrite it.
		calls[1]!.answer('new');
		expect(slugOf(await after)).toBe('new');
		calls[0]!.answer('old');
		expect(slugOf(await before)).toBe('old');
		expect(slugOf(r.peek('race.example'))).toBe('new');
		// And the slot of the newer lookup was not cleared by the older one.
		expect(r.resolve('race.example')).not.toBeInstanceOf(Promise);
	});

	it('a listener reconnect ("all") also discards lookups in flight', async () => {
		const { calls, finder } = manualFinder();
		const r = resolverFor({}, finder);
		const p = r.resolve('race.example');
		r.clear();
		calls[0]!.answer('old');
		await p;
		expect(r.peek('race.example')).toBeUndefined();
	});
});
