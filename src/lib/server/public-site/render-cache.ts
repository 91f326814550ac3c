/**
 * The render cache: finished public responses kept in memory per (site, path, relevant query), so
 * a warm page view costs no database query and no render. One container serves every collective,
 * and a spike on one site (an event shared on social media) must not touch the database.
 *
 * What is cached: anonymous GET/HEAD of a site's public pages and feeds that answered 200 or 404.
 * Never: the hub, /admin, /login and other non-public paths, requests that carry a session cookie,
 * responses that set a cookie or say `no-store`, anything else than 200/404.
 *
 * How entries go stale:
 * - every admin write sends a `content` change for its site (services/write.ts), domain and site
 *   changes send `hosts`: both drop the site's entries, in this process at once and in every other
 *   process when the NOTIFY arrives (changes/); a listener reconnect sends `all`;
 * - pages that list upcoming events change when time passes, so every entry also expires at the
 *   site's next event boundary (an event starting or ending), or after RENDER_CACHE_TTL_MS;
 * - a render that began before an invalidation is not stored (per-site generation check), so a
 *   slow render can never put back what a write just dropped.
 * - an expired entry (never an invalidated one) is kept RENDER_CACHE_STALE_MS longer and served,
 *   marked `x-render-cache: stale`, while the database is known to be unreachable (at once, the
 *   health circuit being open) or when re-rendering it fails for that reason: during an outage
 *   visitors get a page a few minutes old rather than an error.
 *
 * Bounded by bytes (lru-cache `maxSize`); with RENDER_CACHE=false or a size of 0 it is off, which
 * the benchmark uses to measure the uncached path.
 */
import type { Handle } from '@sveltejs/kit';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { env } from '../env';
import { onChange } from '../changes';
import type { ChangeMessage } from '../changes';
import { nextEventBoundary } from '../queries/events';
import { matchesIfNoneMatch, notModified } from '../http-cache';
import { isPublicPath } from '../../route-namespaces';
import { databaseDown } from '../db/health';
import { publicPort } from '../urls';

interface CachedResponse {
	siteId: string;
	status: number;
	headers: [string, string][];
	/** The body, gzipped: pages are text and shrink about 4×, so four times as many fit. */
	gzipped: Uint8Array;
	etag: string | null;
	/** Epoch ms: served until then; after it, only while the database is unreachable. */
	freshUntil?: number;
}

/** Query parameters that change what a public page shows; every other one is ignored. */
const RELEVANT_QUERY: Record<string, string[]> = { '/events': ['page', 'tag'], '/events.ics': ['tag'], '/feed.xml': ['tag'] };

/** Headers of a response that belong to one request, not to the cached page. */
const PER_REQUEST_HEADERS = new Set([
	'content-length',
	'content-encoding',
	'date',
	'connection',
	'keep-alive',
	'transfer-encoding',
	'x-db-queries'
]);

/** Any Better Auth session cookie (plain or `__Secure-` prefixed): such requests are personal. */
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?[\w.-]*session_token=/;

const OVERHEAD_BYTES = 512;

/** Share of the byte budget the 404 segment gets: junk paths can take no more from real pages. */
const NOT_FOUND_SHARE = 1 / 16;

export class RenderCache {
	private readonly entries: LRUCache<string, CachedResponse>;
	/** 404 answers, in a small segment of their own (random paths must not evict real pages). */
	private readonly notFound: LRUCache<string, CachedResponse>;
	/** Bumped when a site's entries are dropped; a render started under an older one is not stored. */
	private readonly generations = new Map<string, number>();
	private globalGeneration = 0;
	/** When the next event of a site starts or ends (entries of that site expire then). */
	private readonly boundaries = new Map<string, Promise<number | null>>();

	constructor(
		maxBytes: number,
		private readonly ttlMs: number,
		private readonly boundaryOf: (siteId: string) => Promise<Date | null> = (id) => nextEventBoundary(id, new Date()),
		private readonly staleMs = 0
	) {
		const segment = (bytes: number) =>
			new LRUCache<string, CachedResponse>({
				maxSize: bytes,
				// Wall-clock time, like the event boundaries the TTLs are computed from.
				perf: Date,
				sizeCalculation: (entry) => entry.gzipped.byteLength + OVERHEAD_BYTES,
				ttl: ttlMs,
				ttlAutopurge: false
			});
		this.entries = segment(maxBytes);
		this.notFound = segment(Math.max(1, Math.floor(maxBytes * NOT_FOUND_SHARE)));
	}

	get size(): number {
		return this.entries.size + this.notFound.size;
	}

	get bytes(): number {
		return this.entries.calculatedSize + this.notFound.calculatedSize;
	}

	/** A fresh entry. */
	get(key: string): CachedResponse | undefined {
		const entry = this.getStale(key);
		return entry && (entry.freshUntil ?? Infinity) > Date.now() ? entry : undefined;
	}

	/** An entry past its freshness but still kept for outages (or a fresh one). */
	getStale(key: string): CachedResponse | undefined {
		return this.entries.get(key) ?? this.notFound.get(key);
	}

	/** The token a render carries from start to store; compare with `generation()` at store time. */
	generation(siteId: string): number {
		return this.globalGeneration * 1_000_000_000 + (this.generations.get(siteId) ?? 0);
	}

	async store(key: string, entry: CachedResponse, startedAt: number): Promise<boolean> {
		if (this.generation(entry.siteId) !== startedAt) return false;
		const boundary = await this.boundary(entry.siteId);
		// The boundary lookup awaited: an invalidation may have come in meanwhile.
		if (this.generation(entry.siteId) !== startedAt) return false;
		const untilBoundary = boundary === null ? this.ttlMs : boundary - Date.now();
		if (untilBoundary <= 0) return false;
		const segment = entry.status === 404 ? this.notFound : this.entries;
		const size = entry.gzipped.byteLength + OVERHEAD_BYTES;
		if (size > segment.maxSize) return false;
		// gzipSync hands back a view of its 64 KiB output chunk: kept as is, a 3 KB page would hold
		// 64 KB and the byte bound would be off twentyfold. Keep an exact copy instead.
		const gzipped = entry.gzipped.byteLength === entry.gzipped.buffer.byteLength ? entry.gzipped : new Uint8Array(entry.gzipped);
		const ttl = Math.min(this.ttlMs, untilBoundary);
		(entry.status === 404 ? this.entries : this.notFound).delete(key);
		segment.set(key, { ...entry, gzipped, freshUntil: Date.now() + ttl }, { ttl: ttl + this.staleMs });
		return true;
	}

	/** Next event boundary of a site, looked up once per invalidation (not per page). */
	private boundary(siteId: string): Promise<number | null> {
		let found = this.boundaries.get(siteId);
		if (!found) {
			found = this.boundaryOf(siteId).then(
				(at) => (at ? at.getTime() : null),
				(error) => {
					this.boundaries.delete(siteId);
					throw error;
				}
			);
			this.boundaries.set(siteId, found);
		}
		return found.then((at) => {
			// Passed: look again next time (the following boundary).
			if (at !== null && at <= Date.now()) this.boundaries.delete(siteId);
			return at;
		});
	}

	dropSite(siteId: string): void {
		this.generations.set(siteId, (this.generations.get(siteId) ?? 0) + 1);
		this.boundaries.delete(siteId);
		for (const segment of [this.entries, this.notFound]) {
			for (const [key, entry] of segment.entries()) if (entry.siteId === siteId) segment.delete(key);
		}
	}

	clear(): void {
		this.globalGeneration++;
		this.generations.clear();
		this.boundaries.clear();
		this.entries.clear();
		this.notFound.clear();
	}

	apply(message: ChangeMessage): void {
		if (message.type === 'all') this.clear();
		else if (message.siteId) this.dropSite(message.siteId);
		// A `hosts` change without a site id (a new site's slug) changes no cached page.
	}
}

let cache: RenderCache | null | undefined;

/** The process's render cache, or null when it is turned off. */
export function renderCache(): RenderCache | null {
	if (cache === undefined) {
		const e = env();
		cache =
			e.RENDER_CACHE && e.RENDER_CACHE_MAX_BYTES > 0
				? new RenderCache(e.RENDER_CACHE_MAX_BYTES, e.RENDER_CACHE_TTL_MS, undefined, e.RENDER_CACHE_STALE_MS)
				: null;
		const c = cache;
		if (c) onChange((message) => c.apply(message));
	}
	return cache;
}

/**
 * Site, path and the query parameters the page reads (any other parameter is left out, so
 * `?utm_source=…` or junk shares the page's entry). Absolute links in a page (canonical, Open
 * Graph, feeds, calendars) come from the site's canonical address, which carries a port only when
 * it is the server's own (urls.ts publicPort): `port` is that, so a Host header with a random port
 * neither reaches another variant nor puts its port in anyone's page.
 */
export function cacheKey(siteId: string, url: URL, port = url.port): string {
	const relevant = RELEVANT_QUERY[url.pathname] ?? [];
	const query = relevant
		.map((name) => [name, url.searchParams.get(name)] as const)
		.filter(([, value]) => value !== null)
		.map(([name, value]) => `${name}=${encodeURIComponent(value!)}`)
		.join('&');
	return `${siteId}${port ? `:${port}` : ''} ${url.pathname}${query ? `?${query}` : ''}`;
}

function cacheable(request: Request, url: URL): boolean {
	if (request.method !== 'GET' && request.method !== 'HEAD') return false;
	if (!isPublicPath(url.pathname)) return false;
	return !SESSION_COOKIE.test(request.headers.get('cookie') ?? '');
}

/** Whether the client takes gzip (every browser and feed reader does; `gzip;q=0` refuses it). */
export function acceptsGzip(request: Request): boolean {
	return (request.headers.get('accept-encoding') ?? '').split(',').some((part) => {
		const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
		const q = params.find((p) => p.startsWith('q='));
		return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
	});
}

function fromCache(entry: CachedResponse, request: Request, state: 'hit' | 'stale' = 'hit'): Response {
	const headers = new Headers(entry.headers);
	headers.set('x-render-cache', state);
	headers.append('vary', 'Accept-Encoding');
	if (entry.etag && matchesIfNoneMatch(request.headers.get('if-none-match'), entry.etag)) return notModified(headers);
	const gzip = acceptsGzip(request);
	if (gzip) headers.set('content-encoding', 'gzip');
	if (request.method === 'HEAD') return new Response(null, { status: entry.status, headers });
	return new Response(gzip ? entry.gzipped.slice() : gunzipSync(entry.gzipped), { status: entry.status, headers });
}

/**
 * Sits right after the site is resolved (and suspended sites answered), before the security
 * headers and HTTP caching handles have run, so a hit still passes through them on its way out.
 * What it stores is the response as `publicCache` finished it (Cache-Control, ETag).
 */
export const renderCacheHandle: Handle = async ({ event, resolve }) => {
	const cache = renderCache();
	const site = event.locals.site;
	if (!cache || !site || event.locals.isHub || !cacheable(event.request, event.url)) return resolve(event);

	const key = cacheKey(site.id, event.url, publicPort(event));
	const hit = cache.get(key);
	if (hit) return fromCache(hit, event.request);

	const stale = cache.getStale(key);
	// The database is known to be away (db/health.ts): the kept page at once, no failed render first.
	if (stale && databaseDown()) return fromCache(stale, event.request, 'stale');
	const startedAt = cache.generation(site.id);
	const response = await resolve(event);
	if (stale && event.locals.databaseDown && response.status >= 500) return fromCache(stale, event.request, 'stale');
	response.headers.set('x-render-cache', 'miss');
	if (event.request.method !== 'GET' || (response.status !== 200 && response.status !== 404)) return response;
	const cacheControl = response.headers.get('cache-control') ?? '';
	if (response.headers.has('set-cookie') || /no-store|private/.test(cacheControl) || event.locals.user) return response;

	const body = new Uint8Array(await response.arrayBuffer());
	const headers: [string, string][] = [];
	response.headers.forEach((value, name) => {
		if (!PER_REQUEST_HEADERS.has(name) && name !== 'x-render-cache') headers.push([name, value]);
	});
	try {
		const gzipped = gzipSync(body, { level: 6 });
		await cache.store(key, { siteId: site.id, status: response.status, headers, gzipped, etag: response.headers.get('etag') }, startedAt);
	} catch {
		// The boundary lookup failed (database gone): serve this response, just do not keep it.
	}
	return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
