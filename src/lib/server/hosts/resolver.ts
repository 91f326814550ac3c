/**
 * Normalized host → what this server answers for it. Resolution order (issue 4, DESIGN.md):
 *   1. a verified custom domain in site_domain
 *   2. `<slug>.<PLATFORM_DOMAIN>`
 *   2b. `<old-slug>.<PLATFORM_DOMAIN>` of a renamed site, within its grace period
 *      (site_slug_redirect): 301 to the site's primary host, path kept
 *   3. PLATFORM_DOMAIN itself: the hub
 *   4. local hosts only (localhost, 127.0.0.1, [::1], *.localhost): `<slug>.localhost` by slug,
 *      else SITE_SLUG
 *   5. nothing: "no site here" (for a pending custom domain, with its verification token)
 * Steps 1, 2 and 4 are one query whose candidates are ranked in that order. The hub (3) is
 * answered without a query; a custom domain can never name the hub (isValidCustomDomain), so
 * checking it first changes no answer and keeps a bad row from ever shadowing the hub.
 * A site reached on a public hostname other than its primary one redirects there (301).
 *
 * Results are cached in two LRUs: hits and misses are bounded separately, so a flood of random
 * hosts can neither reach the database more than once per host nor evict the hot set.
 * Concurrent misses for one host share one query.
 */
import { LRUCache } from 'lru-cache';
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { db } from '../db';
import { site, siteDomain, siteSlugRedirect } from '../db/schema';
import { classifyHost, isLocalHost } from '../../host-class';
import { siteContextColumns, siteContextJoins, toSiteContext, type SiteContext } from './site-context';
import type { ChangeMessage } from '../changes';
import { isConnectionFailure } from '../errors';

export type Resolution =
	{ kind: 'site'; site: SiteContext; host: string; redirectTo: string | null; until?: Date } | { kind: 'hub'; host: string } | NoSite;

/**
 * Nothing is served here. `pendingToken` is set for a custom domain added but not yet verified:
 * the verification check fetches `/.well-known/collective-hub/<token>` from it.
 */
export interface NoSite {
	kind: 'none';
	host: string;
	pendingToken?: string;
}

export interface ResolverOptions {
	platformDomain: string;
	siteSlug?: string;
	maxEntries: number;
	maxNegative: number;
	/** 0: no expiry (changes still invalidate). */
	ttlMs: number;
	negativeTtlMs: number;
	/**
	 * An expired hit is kept this much longer and answered while the database is unreachable
	 * (`isDown`, or a lookup failing to connect): an outage longer than the TTL keeps sites up.
	 */
	staleMs?: number;
	/** Whether the database is known to be unreachable (db/health.ts): then stale hits are answered at once. */
	isDown?: () => boolean;
}

/** What the database says about a host: the site it names, or a pending domain's token. */
export type SiteFinder = (
	host: string,
	slugs: readonly string[],
	platformDomain: string
) => Promise<{ site: SiteContext; until?: Date } | { pendingToken: string } | null>;

type Cached = Exclude<Resolution, NoSite>;
/** A hit and when it stops being fresh (epoch ms); kept `staleMs` longer for outages. */
interface Stored {
	resolution: Cached;
	freshUntil: number;
}

export class HostResolver {
	private readonly hits: LRUCache<string, Stored>;
	private readonly misses: LRUCache<string, NoSite>;
	private readonly inflight = new Map<string, Promise<Resolution>>();
	/** siteId → hosts cached for it, to drop every entry of a site on change. */
	private readonly hostsOfSite = new Map<string, Set<string>>();
	/**
	 * Bumped on every invalidation. A lookup that started before a bump may have read the old
	 * rows: its answer goes to the requests that were waiting for it, but is not cached.
	 */
	private generation = 0;
	/** Lookups that reached the finder (the database), for tests and the benchmark. */
	lookups = 0;

	constructor(
		readonly options: ResolverOptions,
		private readonly find: SiteFinder = findSite
	) {
		this.hits = new LRUCache<string, Stored>({
			max: options.maxEntries,
			ttl: options.ttlMs ? options.ttlMs + (options.staleMs ?? 0) : undefined,
			dispose: (value, host) => {
				if (value.resolution.kind === 'site') this.forget(value.resolution.site.id, host);
			}
		});
		this.misses = new LRUCache<string, NoSite>({ max: options.maxNegative, ttl: options.negativeTtlMs || undefined });
	}

	/** Resolve a host already normalized by parseHost. Synchronous when cached. */
	resolve(host: string): Resolution | Promise<Resolution> {
		const stored = this.hits.get(host);
		if (stored && stored.freshUntil > Date.now()) return stored.resolution;
		const miss = this.misses.get(host);
		if (miss) return miss;
		// Expired, and the database is known to be away: the last answer, without waiting for a failure.
		if (stored && this.options.isDown?.()) return stored.resolution;
		const pending = this.inflight.get(host);
		if (pending) return pending;
		const generation = this.generation;
		const lookup: Promise<Resolution> = this.lookup(host)
			.then((result) => {
				if (generation === this.generation) this.store(host, result);
				return result;
			})
			.finally(() => {
				// After an invalidation a newer lookup may own the slot.
				if (this.inflight.get(host) === lookup) this.inflight.delete(host);
			});
		this.inflight.set(host, lookup);
		if (!stored) return lookup;
		// The database went away just now: the expired answer rather than a 503.
		return lookup.catch((error) => {
			if (isConnectionFailure(error) && this.hits.get(host) === stored) return stored.resolution;
			throw error;
		});
	}

	/** Cached answer only (no database): used where a miss must not cost a query. */
	peek(host: string): Resolution | undefined {
		return this.hits.get(host)?.resolution ?? this.misses.get(host);
	}

	/** A fresh cached answer only, never a stale one or a lookup (the render cache's fast path). */
	peekFresh(host: string): Resolution | undefined {
		const stored = this.hits.get(host);
		if (stored) return stored.freshUntil > Date.now() ? stored.resolution : undefined;
		return this.misses.get(host);
	}

	private store(host: string, result: Resolution): void {
		if (result.kind === 'none') {
			this.misses.set(host, result);
			return;
		}
		// An old slug's redirect is cached no longer than its grace period lasts.
		const left = result.kind === 'site' && result.until ? Math.max(1, result.until.getTime() - Date.now()) : undefined;
		const { ttlMs } = this.options;
		if (left !== undefined) {
			// Never served past the grace period, not even stale.
			const ttl = ttlMs ? Math.min(left, ttlMs) : left;
			this.hits.set(host, { resolution: result, freshUntil: Date.now() + ttl }, { ttl });
		} else {
			this.hits.set(host, { resolution: result, freshUntil: ttlMs ? Date.now() + ttlMs : Infinity });
		}
		if (result.kind === 'site') {
			let hosts = this.hostsOfSite.get(result.site.id);
			if (!hosts) this.hostsOfSite.set(result.site.id, (hosts = new Set()));
			hosts.add(host);
		}
	}

	private forget(siteId: string, host: string): void {
		const hosts = this.hostsOfSite.get(siteId);
		if (!hosts) return;
		hosts.delete(host);
		if (hosts.size === 0) this.hostsOfSite.delete(siteId);
	}

	/** One database query at most, whatever the host (the TLS ask endpoint relies on it). */
	private async lookup(host: string): Promise<Resolution> {
		const { platformDomain } = this.options;
		const named = classifyHost(host, this.options);
		if (named.kind === 'hub') return { kind: 'hub', host };
		this.lookups++;
		const found = await this.find(host, named.slugs, platformDomain);
		if (!found) return { kind: 'none', host };
		if ('pendingToken' in found) return { kind: 'none', host, pendingToken: found.pendingToken };
		// Local hosts never redirect: `<slug>.localhost` is how development reaches every site.
		const redirect = !isLocalHost(host) && found.site.primaryHost !== host ? found.site.primaryHost : null;
		return { kind: 'site', site: found.site, host, redirectTo: redirect, ...(found.until ? { until: found.until } : {}) };
	}

	/** Apply a change notification from any process (including this one). */
	apply(message: ChangeMessage): void {
		if (message.type === 'content' || message.type === 'listing') return;
		if (message.type === 'all') return this.clear();
		this.invalidate();
		const hosts = [...message.hosts];
		for (const slug of message.slugs ?? []) hosts.push(`${slug}.${this.options.platformDomain}`, `${slug}.localhost`);
		for (const host of hosts) {
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
		this.invalidate();
		this.hits.clear();
		this.misses.clear();
		this.hostsOfSite.clear();
	}

	/** Lookups already running may have read old rows: their results are not cached, and later requests do not join them. */
	private invalidate(): void {
		this.generation++;
		this.inflight.clear();
	}

	get size() {
		return { hits: this.hits.size, misses: this.misses.size, sites: this.hostsOfSite.size };
	}
}

const RANK_DOMAIN = 0;
/** After every current slug (at most two candidates), so a live slug always beats an old one. */
const RANK_OLD_SLUG = 5;
const RANK_PENDING = 9;

/**
 * One query: the live site named by a verified custom domain `host`, else by the first of
 * `slugs` that exists, with its logo, background and primary host; failing both, the token of a
 * pending (unverified) domain `host`. Each branch of the union uses a unique index.
 */
export const findSite: SiteFinder = async (host, slugs, platformDomain) => {
	const byDomain = db()
		.select({
			id: siteDomain.siteId,
			rank: sql<number>`case when ${siteDomain.verifiedAt} is null then ${sql.raw(String(RANK_PENDING))} else ${sql.raw(String(RANK_DOMAIN))} end`.as(
				'rank'
			),
			token: sql<string | null>`case when ${siteDomain.verifiedAt} is null then ${siteDomain.verificationToken} end`.as('token'),
			until: sql<string | null>`null::timestamptz`.as('until')
		})
		.from(siteDomain)
		.where(eq(siteDomain.hostname, host));
	// Earlier slugs win: rank 1 + position in `slugs` (array_position is 1-based).
	const slugArray = sql`array[${sql.join(
		slugs.map((s) => sql`${s}`),
		sql`, `
	)}]::text[]`;
	const bySlug = () =>
		db()
			.select({
				id: site.id,
				rank: sql<number>`array_position(${slugArray}, ${site.slug})`.as('rank'),
				token: sql<string | null>`null::text`.as('token'),
				until: sql<string | null>`null::timestamptz`.as('until')
			})
			.from(site)
			.where(inArray(site.slug, [...slugs]));
	// A slug the site gave up, still within its grace period: resolves to the site, and since the
	// host is not the primary one the resolver answers 301 there. Cached like any host of the site,
	// so the site's next change notification (a new slug taking the name included) drops it.
	const byOldSlug = () =>
		db()
			.select({
				id: siteSlugRedirect.siteId,
				rank: sql<number>`${sql.raw(String(RANK_OLD_SLUG))}`.as('rank'),
				token: sql<string | null>`null::text`.as('token'),
				until: sql<string | null>`${siteSlugRedirect.expiresAt}`.as('until')
			})
			.from(siteSlugRedirect)
			.where(and(inArray(siteSlugRedirect.oldSlug, [...slugs]), gt(siteSlugRedirect.expiresAt, sql`now()`)));
	const target = db()
		.$with('target')
		.as(slugs.length ? unionAll(byDomain, bySlug(), byOldSlug()) : byDomain);
	const [row] = await db()
		.with(target)
		.select({ ...siteContextColumns, rank: target.rank, token: target.token, until: target.until })
		.from(target)
		.innerJoin(site, eq(site.id, target.id))
		.leftJoin(...siteContextJoins.logo)
		.leftJoin(...siteContextJoins.background)
		.leftJoin(...siteContextJoins.primary)
		.where(isNull(site.deletedAt))
		.orderBy(asc(target.rank))
		.limit(1);
	if (!row) return null;
	if (Number(row.rank) === RANK_PENDING) return row.token ? { pendingToken: row.token } : null;
	const context = toSiteContext(row, platformDomain);
	return row.until ? { site: context, until: new Date(row.until) } : { site: context };
};
