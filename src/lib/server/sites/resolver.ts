/**
 * Normalized host → what this server answers for it. Resolution order (DESIGN.md):
 *   1. a verified custom domain in site_domain
 *   2. `<slug>.<PLATFORM_DOMAIN>`
 *   3. PLATFORM_DOMAIN itself: the hub
 *   4. local hosts only: `<slug>.localhost`, else SITE_SLUG
 *   5. nothing: "no site here"
 * A site reached on a public hostname other than its primary one redirects there (301).
 *
 * Results are cached in two LRUs: hits and misses are bounded separately, so a flood of random
 * hosts can neither reach the database more than once per host nor evict the hot set.
 * Concurrent misses for one host share one query.
 */
import { LRUCache } from 'lru-cache';
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { alias, unionAll } from 'drizzle-orm/pg-core';
import { db } from '../db';
import { asset, site, siteDomain } from '../db/schema';
import { isLocalHost } from './parse-host';
import { toSiteContext, type SiteContext } from './site-context';
import type { ChangeMessage } from './notify';

export type Resolution =
	| { kind: 'site'; site: SiteContext; host: string; redirectTo: string | null }
	| { kind: 'hub'; host: string }
	| { kind: 'none'; host: string };

export interface ResolverOptions {
	platformDomain: string;
	siteSlug?: string;
	maxEntries: number;
	maxNegative: number;
	ttlMs: number;
	negativeTtlMs: number;
}

type Cached = Exclude<Resolution, { kind: 'none' }>;

export class HostResolver {
	private readonly hits: LRUCache<string, Cached>;
	private readonly misses: LRUCache<string, true>;
	private readonly inflight = new Map<string, Promise<Resolution>>();
	/** siteId → hosts cached for it, to drop every entry of a site on change. */
	private readonly hostsOfSite = new Map<string, Set<string>>();
	/** Bumped on every invalidation so a query that started before it does not cache stale data. */
	private generation = 0;
	/** Database lookups made (for tests and the benchmark). */
	lookups = 0;

	constructor(readonly options: ResolverOptions) {
		this.hits = new LRUCache<string, Cached>({
			max: options.maxEntries,
			ttl: options.ttlMs || undefined,
			dispose: (value, host) => {
				if (value.kind === 'site') this.hostsOfSite.get(value.site.id)?.delete(host);
			}
		});
		this.misses = new LRUCache<string, true>({ max: options.maxNegative, ttl: options.negativeTtlMs || undefined });
	}

	/** Resolve a host already normalized by parseHost. */
	resolve(host: string): Resolution | Promise<Resolution> {
		const hit = this.hits.get(host);
		if (hit) return hit;
		if (this.misses.has(host)) return { kind: 'none', host };
		let pending = this.inflight.get(host);
		if (!pending) {
			const generation = this.generation;
			pending = this.lookup(host)
				.then((result) => {
					if (generation === this.generation) this.store(host, result);
					return result;
				})
				.finally(() => this.inflight.delete(host));
			this.inflight.set(host, pending);
		}
		return pending;
	}

	/** Cached answer only (no database): used where a miss must not cost a query. */
	peek(host: string): Resolution | undefined {
		const hit = this.hits.get(host);
		if (hit) return hit;
		if (this.misses.has(host)) return { kind: 'none', host };
		return undefined;
	}

	private store(host: string, result: Resolution): void {
		if (result.kind === 'none') {
			this.misses.set(host, true);
			return;
		}
		this.hits.set(host, result);
		if (result.kind === 'site') {
			let hosts = this.hostsOfSite.get(result.site.id);
			if (!hosts) this.hostsOfSite.set(result.site.id, (hosts = new Set()));
			hosts.add(host);
		}
	}

	/** One database query at most, whatever the host (the TLS ask endpoint relies on it). */
	private async lookup(host: string): Promise<Resolution> {
		const { platformDomain } = this.options;
		if (host === platformDomain) return { kind: 'hub', host };
		this.lookups++;
		const slug = this.slugFor(host);
		const found = await findSite(host, slug, platformDomain);
		if (!found) return { kind: 'none', host };
		// Local hosts never redirect: `<slug>.localhost` is how development reaches every site.
		const redirect = !isLocalHost(host) && found.primaryHost !== host ? found.primaryHost : null;
		return { kind: 'site', site: found, host, redirectTo: redirect };
	}

	/** The slug a host names without a custom domain: `<slug>.<PLATFORM_DOMAIN>`, `<slug>.localhost`, or SITE_SLUG on bare local hosts. */
	private slugFor(host: string): string | null {
		const { platformDomain, siteSlug } = this.options;
		for (const suffix of ['.' + platformDomain, '.localhost']) {
			if (host.endsWith(suffix)) {
				const slug = host.slice(0, -suffix.length);
				return slug.includes('.') ? null : slug;
			}
		}
		return isLocalHost(host) ? (siteSlug ?? null) : null;
	}

	/** Apply a change notification from any process (including this one). */
	apply(message: ChangeMessage): void {
		if (message.type === 'content') return;
		this.generation++;
		if (message.type === 'all') return this.clear();
		for (const host of message.hosts) {
			this.hits.delete(host);
			this.misses.delete(host);
		}
		if (message.siteId) {
			for (const host of [...(this.hostsOfSite.get(message.siteId) ?? [])]) this.hits.delete(host);
			this.hostsOfSite.delete(message.siteId);
		}
		// A new slug or domain may be sitting in the negative cache under any name.
		this.misses.clear();
	}

	clear(): void {
		this.generation++;
		this.hits.clear();
		this.misses.clear();
		this.hostsOfSite.clear();
	}

	get size() {
		return { hits: this.hits.size, misses: this.misses.size };
	}
}

const logo = alias(asset, 'logo');
const background = alias(asset, 'background');
const primary = alias(siteDomain, 'primary_domain');

/**
 * One query: the live site named by a verified custom domain `host` (preferred) or by `slug`,
 * with its logo, background and primary host. Each branch of the union uses a unique index.
 */
async function findSite(host: string, slug: string | null, platformDomain: string): Promise<SiteContext | null> {
	const byDomain = db()
		.select({ id: siteDomain.siteId, rank: sql<number>`0`.as('rank') })
		.from(siteDomain)
		.where(and(eq(siteDomain.hostname, host), isNotNull(siteDomain.verifiedAt)));
	const candidates = slug
		? unionAll(byDomain, db().select({ id: site.id, rank: sql<number>`1`.as('rank') }).from(site).where(eq(site.slug, slug)))
		: byDomain;
	const target = db().$with('target').as(candidates);
	const [row] = await db()
		.with(target)
		.select({ site, logo, background, primaryHost: primary.hostname })
		.from(target)
		.innerJoin(site, eq(site.id, target.id))
		.leftJoin(logo, and(eq(logo.id, site.logoAssetId), eq(logo.siteId, site.id)))
		.leftJoin(background, and(eq(background.id, site.backgroundAssetId), eq(background.siteId, site.id)))
		.leftJoin(primary, and(eq(primary.siteId, site.id), eq(primary.isPrimary, true)))
		.where(isNull(site.deletedAt))
		.orderBy(asc(target.rank))
		.limit(1);
	return row ? toSiteContext(row, platformDomain) : null;
}
