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
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { db } from '../db';
import { asset, site, siteDomain } from '../db/schema';
import { isLocalHost } from './parse-host';
import { loadSiteContext, toSiteContext, type SiteContext } from './site-context';
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

	private async lookup(host: string): Promise<Resolution> {
		const { platformDomain, siteSlug } = this.options;
		this.lookups++;
		const custom = await findByCustomDomain(host, platformDomain);
		if (custom) {
			const redirect = custom.site.primaryHost !== host ? custom.site.primaryHost : null;
			return { kind: 'site', site: custom.site, host, redirectTo: redirect };
		}
		if (host === platformDomain) return { kind: 'hub', host };

		const platformSuffix = '.' + platformDomain;
		if (host.endsWith(platformSuffix)) {
			const slug = host.slice(0, -platformSuffix.length);
			if (!slug.includes('.')) {
				const s = await loadSiteContext({ slug }, platformDomain);
				if (s) {
					const redirect = !isLocalHost(host) && s.primaryHost !== host ? s.primaryHost : null;
					return { kind: 'site', site: s, host, redirectTo: redirect };
				}
			}
			if (!isLocalHost(host)) return { kind: 'none', host };
		}

		if (isLocalHost(host)) {
			if (host.endsWith('.localhost')) {
				const slug = host.slice(0, -'.localhost'.length);
				const s = slug.includes('.') ? null : await loadSiteContext({ slug }, platformDomain);
				return s ? { kind: 'site', site: s, host, redirectTo: null } : { kind: 'none', host };
			}
			if (siteSlug) {
				const s = await loadSiteContext({ slug: siteSlug }, platformDomain);
				if (s) return { kind: 'site', site: s, host, redirectTo: null };
			}
		}
		return { kind: 'none', host };
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

/** One query: the verified domain, its live site, the site's logo/background and primary host. */
async function findByCustomDomain(host: string, platformDomain: string): Promise<{ site: SiteContext } | null> {
	const [row] = await db()
		.select({ site, logo, background, primaryHost: primary.hostname })
		.from(siteDomain)
		.innerJoin(site, eq(site.id, siteDomain.siteId))
		.leftJoin(logo, and(eq(logo.id, site.logoAssetId), eq(logo.siteId, site.id)))
		.leftJoin(background, and(eq(background.id, site.backgroundAssetId), eq(background.siteId, site.id)))
		.leftJoin(primary, and(eq(primary.siteId, site.id), eq(primary.isPrimary, true)))
		.where(and(eq(siteDomain.hostname, host), isNotNull(siteDomain.verifiedAt), isNull(site.deletedAt)))
		.limit(1);
	return row ? { site: toSiteContext(row, platformDomain) } : null;
}
