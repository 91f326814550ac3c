/**
 * The render cache: finished public responses kept in memory per (site, path, relevant query), so
 * a warm page view costs no database query and no render. One container serves every collective,
 * and a spike on one site (an event shared on social media) must not touch the database.
 *
 * What is cached: anonymous GET/HEAD of a site's public pages and feeds that answered 200 or 404,
 * and SvelteKit's client-navigation data requests (`…/__data.json`) under keys of their own.
 * Never: the hub, /admin, /login and other non-public paths, requests that carry a session cookie,
 * responses that set a cookie or say `no-store`, anything else than 200/404.
 *
 * Where hits are answered: fresh hits, in memory or on disk, by `serveFromCache` (fast-path.ts)
 * straight from Node's request, before SvelteKit runs at all; everything else (misses, stale pages, HEAD of a miss…) by
 * `renderCacheHandle` below, in the handle chain. Both answer a hit with `cachedAnswer`, so the
 * two give the same bytes (tests/http/fast-path.test.ts).
 *
 * How entries go stale:
 * - every admin write sends a `content` change for its site (services/write.ts), domain and site
 *   changes send `hosts`: both drop the site's entries, in this process at once and in every other
 *   process when the NOTIFY arrives (changes/); a listener reconnect sends `all`. Dropping a site
 *   bumps its generation number, O(1): an entry stored under an older one is never served again
 *   and is deleted when next looked up (or evicted as the least recently used);
 * - pages that list upcoming events change when time passes, so every entry also expires at the
 *   site's next event boundary (an event starting or ending), or after RENDER_CACHE_TTL_MS;
 * - a render that began before an invalidation is not stored (per-site generation check), so a
 *   slow render can never put back what a write just dropped.
 * - an expired entry (never an invalidated one) is kept RENDER_CACHE_STALE_MS longer and served,
 *   marked `x-render-cache: stale`, while the database is known to be unreachable (at once, the
 *   health circuit being open) or when re-rendering it fails for that reason: during an outage
 *   visitors get a page a few minutes old rather than an error.
 *
 * Second tier (disk-cache.ts): every 200 stored is also written, off the request path, to a file
 * under DATA_DIR/page-cache (RENDER_CACHE_DISK, RENDER_CACHE_DISK_MAX_MB); a memory miss reads it
 * before rendering and puts it back in memory (`x-render-cache: l2`). The same drops reach it.
 * The fast path reads it too (asynchronously, before SvelteKit), so an L2 hit costs a file read,
 * not SvelteKit's request machinery; when it found nothing, it marks Node's request (DISK_LOOKED)
 * and the handle chain renders without reading the file again.
 *
 * Text responses are kept compressed twice, brotli and gzip (each client gets the best it takes,
 * with a Content-Length; the few that take neither get it decompressed). Bounded by bytes
 * (lru-cache `maxSize`); with RENDER_CACHE=false or a size of 0 it is off, which the benchmark
 * uses to measure the uncached path.
 */
import type { Handle } from '@sveltejs/kit';
import { brotliCompressSync, constants as zlib, gunzipSync, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { env } from '../env';
import { onChange } from '../changes';
import type { ChangeMessage } from '../changes';
import { nextEventBoundary } from '../queries/events';
import { matchesIfNoneMatch } from '../http-cache';
import { isPublicPath } from '../../route-namespaces';
import { databaseDown } from '../db/health';
import { publicPort } from '../urls';
import path from 'node:path';
import { DiskTier } from './disk-cache';
import { heardChangeNumber } from '../hosts';
import { lastChangeNumber } from '../changes';
import { log } from '../log';

export interface CachedResponse {
	siteId: string;
	status: number;
	/** The route that rendered it (`event.route.id`), for the request log line of a hit. */
	route: string | null;
	/** Every header of the answer but the encoding and length ones and `x-render-cache`. */
	headers: [string, string][];
	etag: string | null;
	/** Byte length of the body as rendered. */
	length: number;
	/** Text: brotli and gzip of the body (pages shrink 4–6×, so that many more fit). */
	br?: Uint8Array;
	gzip?: Uint8Array;
	/** Anything else (an Open Graph PNG): the body as is. */
	raw?: Uint8Array;
	/** Epoch ms: served until then; after it, only while the database is unreachable. */
	freshUntil?: number;
	/** The site's generation when stored: an entry of an older one was invalidated. */
	generation?: number;
}

/**
 * Set on Node's request (adapter-node hands it to SvelteKit as `platform.req`) by the fast path
 * when it looked in the disk tier and found nothing fresh: no second read for the same request.
 */
export const DISK_LOOKED = Symbol('render-cache.disk-looked');

/** Query parameters that change what a public page shows; every other one is ignored. */
const RELEVANT_QUERY: Record<string, string[]> = { '/events': ['page', 'tag'], '/events.ics': ['tag'], '/feed.xml': ['tag'] };

/** SvelteKit's data request suffixes and the parameters that change a data answer. */
const DATA_SUFFIX = '/__data.json';
const HTML_DATA_SUFFIX = '.html__data.json';
const DATA_QUERY = ['x-sveltekit-invalidated', 'x-sveltekit-trailing-slash'];

/** Headers of a response that belong to one request, not to the cached page. */
export const PER_REQUEST_HEADERS = new Set([
	'content-length',
	'content-encoding',
	'date',
	'connection',
	'keep-alive',
	'transfer-encoding',
	'x-db-queries',
	'x-render-cache'
]);

/** Any Better Auth session cookie (plain or `__Secure-` prefixed): such requests are personal. */
export const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?[\w.-]*session_token=/;

/** What an entry costs beside its bodies (headers, key, LRU bookkeeping), measured roughly. */
const OVERHEAD_BYTES = 1024;

/** Share of the byte budget the 404 segment gets: junk paths can take no more from real pages. */
const NOT_FOUND_SHARE = 1 / 16;

/**
 * Brotli quality of cached pages, chosen by measurement (the demo's 14.6 KB home page, Node 24,
 * these 2-core machines): quality 5 takes ~0.3 ms for 3,812 bytes (gzip -6: 4,170 bytes, 0.2 ms);
 * 8 is no smaller; 9 to 11 save up to 11 % more (3,374 bytes) but take 15–28 ms, more than the
 * rest of a render. Compressed on every miss, so the cheap one.
 */
export const BROTLI_QUALITY = 5;

/** Bodies worth compressing: pages, feeds, calendars, JSON (not images). */
const COMPRESSIBLE = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|rss|atom)\b)/;

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
		private readonly staleMs = 0,
		readonly disk: DiskTier | null = null
	) {
		const segment = (bytes: number) =>
			new LRUCache<string, CachedResponse>({
				maxSize: bytes,
				// Wall-clock time, like the event boundaries the TTLs are computed from.
				perf: Date,
				sizeCalculation: entrySize,
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

	/** An entry past its freshness but still kept for outages (or a fresh one); never an invalidated one. */
	getStale(key: string): CachedResponse | undefined {
		const entry = this.entries.get(key) ?? this.notFound.get(key);
		if (entry && entry.generation !== this.generation(entry.siteId)) {
			this.entries.delete(key);
			this.notFound.delete(key);
			return undefined;
		}
		return entry;
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
		const ttl = Math.min(this.ttlMs, untilBoundary);
		const stored = { ...entry, freshUntil: Date.now() + ttl, generation: startedAt };
		// Pages, not 404s: random junk paths must not fill the disk.
		if (this.disk && entry.status === 200) {
			const siteId = entry.siteId;
			void this.disk.write(key, stored, () => this.generation(siteId) === startedAt);
		}
		if (entrySize(entry) > segment.maxSize) return false;
		(entry.status === 404 ? this.entries : this.notFound).delete(key);
		segment.set(key, stored, { ttl: ttl + this.staleMs });
		return true;
	}

	/**
	 * On a memory miss: the page's file, if the disk tier has a fresh one, put back in memory for
	 * the next requests. A drop while the file was read wins (generation check).
	 */
	async fromDisk(key: string, siteId: string): Promise<CachedResponse | undefined> {
		if (!this.disk) return undefined;
		const startedAt = this.generation(siteId);
		const entry = await this.disk.read(key, siteId).catch(() => undefined);
		if (!entry || this.generation(siteId) !== startedAt) return undefined;
		const stored = { ...entry, generation: startedAt };
		const ttl = stored.freshUntil! - Date.now();
		if (ttl > 0 && entrySize(stored) <= this.entries.maxSize) {
			this.notFound.delete(key);
			this.entries.set(key, stored, { ttl: ttl + this.staleMs });
		}
		return stored;
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

	/** O(1) whatever the number of entries: the site's generation moves on, its entries die lazily. */
	dropSite(siteId: string): void {
		this.generations.set(siteId, (this.generations.get(siteId) ?? 0) + 1);
		this.boundaries.delete(siteId);
		this.disk?.dropSite(siteId);
	}

	clear(): void {
		this.globalGeneration++;
		this.generations.clear();
		this.boundaries.clear();
		this.entries.clear();
		this.notFound.clear();
		this.disk?.clear();
	}

	apply(message: ChangeMessage): void {
		if (message.type === 'all') this.clear();
		else if (message.siteId) this.dropSite(message.siteId);
		// A `hosts` change without a site id (a new site's slug) changes no cached page.
		else this.disk?.applied();
	}
}

export function entrySize(entry: CachedResponse): number {
	return (entry.br?.byteLength ?? 0) + (entry.gzip?.byteLength ?? 0) + (entry.raw?.byteLength ?? 0) + OVERHEAD_BYTES;
}

let cache: RenderCache | null | undefined;

/** The process's render cache, or null when it is turned off. */
export function renderCache(): RenderCache | null {
	if (cache === undefined) {
		const e = env();
		cache =
			e.RENDER_CACHE && e.RENDER_CACHE_MAX_BYTES > 0
				? new RenderCache(e.RENDER_CACHE_MAX_BYTES, e.RENDER_CACHE_TTL_MS, undefined, e.RENDER_CACHE_STALE_MS, diskTier())
				: null;
		const c = cache;
		if (c) onChange((message) => c.apply(message));
	}
	return cache;
}

/** The disk tier the settings ask for, or null (off, or DATA_DIR not writable: said once in the log). */
function diskTier(): DiskTier | null {
	const e = env();
	if (!e.RENDER_CACHE_DISK || e.RENDER_CACHE_DISK_MAX_MB <= 0) return null;
	const dir = path.join(e.DATA_DIR, 'page-cache');
	try {
		return new DiskTier(dir, e.RENDER_CACHE_DISK_MAX_MB * 1024 * 1024, heardChangeNumber);
	} catch (error) {
		log.warn('render cache disk tier off: its directory is not writable', { dir, error: String(error) });
		return null;
	}
}

/**
 * Start-up, once the change listener listens: the disk tier keeps its files only if no change was
 * made since the last one it applied (until then it reads and writes nothing).
 */
export async function verifyDiskTier(): Promise<void> {
	const disk = renderCache()?.disk;
	if (!disk) return;
	let last: bigint | null;
	try {
		last = await lastChangeNumber();
	} catch (error) {
		log.warn('render cache disk tier off: the change number is unreadable', { error: String(error) });
		return;
	}
	const kept = disk.verify(last);
	log.info(kept ? 'render cache disk tier kept' : 'render cache disk tier dropped: changes since it was written', {
		last: String(last)
	});
}

/** Whether a pathname is a SvelteKit data request, and the page path it asks about. */
export function pageOfDataPath(pathname: string): string | null {
	if (pathname.endsWith(HTML_DATA_SUFFIX)) return pathname.slice(0, -HTML_DATA_SUFFIX.length) + '.html';
	if (pathname.endsWith(DATA_SUFFIX)) return pathname.slice(0, -DATA_SUFFIX.length) || '/';
	return null;
}

/**
 * Site, path and the query parameters the page reads (any other parameter is left out, so
 * `?utm_source=…` or junk shares the page's entry). `url` is the URL as requested, so a data
 * request (`/events/__data.json`) has a key of its own, never the page's. Absolute links in a page
 * (canonical, Open Graph, feeds, calendars) come from the site's canonical address, which carries a
 * port only when it is the server's own (urls.ts publicPort): `port` is that, so a Host header
 * with a random port neither reaches another variant nor puts its port in anyone's page.
 */
export function cacheKey(siteId: string, url: URL, port = url.port): string {
	return siteCacheKey(siteId, port, cacheKeyPath(url));
}

/** The site's part of `cacheKey` put to its URL's part. */
export function siteCacheKey(siteId: string, port: string, keyPath: string): string {
	return `${siteId}${port ? `:${port}` : ''} ${keyPath}`;
}

/** The URL's part of `cacheKey`: the path and the query parameters the page reads. */
export function cacheKeyPath(url: URL): string {
	const page = pageOfDataPath(url.pathname);
	const relevant = RELEVANT_QUERY[page ?? url.pathname] ?? [];
	let query = '';
	for (const name of page === null ? relevant : [...relevant, ...DATA_QUERY]) {
		const value = url.searchParams.get(name);
		if (value !== null) query += `${query ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
	}
	return url.pathname + query;
}

/** Anonymous GET/HEAD of a public path (`pathname` as the page's, without a data suffix). */
export function cacheableRequest(method: string, pathname: string, cookie: string | null | undefined): boolean {
	if (method !== 'GET' && method !== 'HEAD') return false;
	if (!isPublicPath(pathname)) return false;
	return !cookie || !SESSION_COOKIE.test(cookie);
}

type Coding = 'br' | 'gzip' | null;
const codings = new Map<string, Coding>();

/**
 * The encoding to answer with for an Accept-Encoding header: the one with the higher q of brotli
 * and gzip (brotli on a tie; `*` stands for either when not named), none when both are refused.
 * Remembered per distinct header value (a few dozen in practice, bounded anyway).
 */
export function chooseEncoding(header: string | null | undefined): Coding {
	const key = header ?? '';
	let coding = codings.get(key);
	if (coding !== undefined) return coding;
	let br: number | undefined;
	let gzip: number | undefined;
	let any: number | undefined;
	for (const part of key.split(',')) {
		const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
		const q = params.find((p) => p.startsWith('q='));
		const weight = q === undefined ? 1 : Number(q.slice(2)) || 0;
		if (name === 'br') br = weight;
		else if (name === 'gzip' || name === 'x-gzip') gzip = Math.max(gzip ?? 0, weight);
		else if (name === '*') any = weight;
	}
	br ??= any ?? 0;
	gzip ??= any ?? 0;
	coding = br > 0 && br >= gzip ? 'br' : gzip > 0 ? 'gzip' : null;
	if (codings.size >= 256) codings.clear();
	codings.set(key, coding);
	return coding;
}

export interface Answer {
	status: number;
	headers: [string, string][];
	body: Uint8Array | null;
}

/**
 * A cached entry answered to one request: 304 when its ETag matches, else the body in the best
 * encoding the client takes (none for HEAD), always with a Content-Length. Used by both paths.
 */
export function cachedAnswer(
	entry: CachedResponse,
	method: string,
	acceptEncoding: string | null | undefined,
	ifNoneMatch: string | null | undefined,
	state: 'hit' | 'l2' | 'stale' | 'miss'
): Answer {
	const headers = entry.headers.slice();
	headers.push(['x-render-cache', state]);
	if (entry.etag && matchesIfNoneMatch(ifNoneMatch ?? null, entry.etag)) {
		// As http-cache.ts notModified: same validators and caching, no body headers.
		return { status: 304, headers: headers.filter(([name]) => name !== 'content-type'), body: null };
	}
	let body: Uint8Array;
	const coding = entry.raw ? null : chooseEncoding(acceptEncoding);
	if (coding === 'br') body = entry.br!;
	else if (coding === 'gzip') body = entry.gzip!;
	else body = entry.raw ?? (method === 'HEAD' ? new Uint8Array(0) : gunzipSync(entry.gzip!));
	if (coding) headers.push(['content-encoding', coding]);
	headers.push(['content-length', String(coding || entry.raw || method !== 'HEAD' ? body.byteLength : entry.length)]);
	return { status: entry.status, headers, body: method === 'HEAD' ? null : body };
}

export function toResponse(answer: Answer): Response {
	// A copy: the cached bytes must never be handed to a stream that may transfer them.
	return new Response(answer.body && answer.body.slice(), { status: answer.status, headers: answer.headers });
}

/** The entry a finished response becomes: headers as the handle chain will send them, bodies compressed. */
export function toEntry(siteId: string, route: string | null, response: Response, body: Uint8Array): CachedResponse {
	const headers: [string, string][] = [];
	let vary = false;
	response.headers.forEach((value, name) => {
		if (PER_REQUEST_HEADERS.has(name)) return;
		if (name === 'vary') {
			vary = true;
			value = /\baccept-encoding\b/i.test(value) ? value : `${value}, Accept-Encoding`;
		}
		headers.push([name, value]);
	});
	if (!vary) headers.push(['vary', 'Accept-Encoding']);
	// What the `headers` handle adds on the way out anyway; here so a hit answered before SvelteKit has them.
	if (!response.headers.has('x-content-type-options')) headers.push(['x-content-type-options', 'nosniff']);
	if (!response.headers.has('referrer-policy')) headers.push(['referrer-policy', 'strict-origin-when-cross-origin']);
	const base = { siteId, route, status: response.status, headers, etag: response.headers.get('etag'), length: body.byteLength };
	if (!COMPRESSIBLE.test(response.headers.get('content-type') ?? '')) return { ...base, raw: body };
	return {
		...base,
		br: exact(
			brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
		),
		gzip: exact(gzipSync(body, { level: 6 }))
	};
}

/**
 * zlib hands back a view of its 64 KiB output chunk: kept as is, a 3 KB page would hold 64 KB and
 * the byte bound would be off twentyfold. Keep an exact copy instead.
 */
function exact(bytes: Uint8Array): Uint8Array {
	return bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/**
 * Sits right after the site is resolved (and suspended sites answered), before the security
 * headers and HTTP caching handles have run, so a hit still passes through them on its way out.
 * What it stores is the response as `publicCache` finished it (Cache-Control, ETag).
 */
export const renderCacheHandle: Handle = async ({ event, resolve }) => {
	const cache = renderCache();
	const site = event.locals.site;
	const { request } = event;
	if (!cache || !site || event.locals.isHub || !cacheableRequest(request.method, event.url.pathname, request.headers.get('cookie'))) {
		return resolve(event);
	}
	const answer = (entry: CachedResponse, state: 'hit' | 'l2' | 'stale' | 'miss') =>
		toResponse(cachedAnswer(entry, request.method, request.headers.get('accept-encoding'), request.headers.get('if-none-match'), state));

	// The URL as requested: SvelteKit strips a data request's suffix from `event.url`.
	const key = cacheKey(site.id, new URL(request.url), publicPort(event));
	const hit = cache.get(key);
	if (hit) return answer(hit, 'hit');

	const stale = cache.getStale(key);
	// The database is known to be away (db/health.ts): the kept page at once, no failed render first.
	if (stale && databaseDown()) return answer(stale, 'stale');
	const looked = (event.platform as { req?: Record<symbol, unknown> } | undefined)?.req?.[DISK_LOOKED] === true;
	const fromDisk = looked ? undefined : await cache.fromDisk(key, site.id);
	if (fromDisk) return answer(fromDisk, 'l2');
	const startedAt = cache.generation(site.id);
	const response = await resolve(event);
	if (stale && event.locals.databaseDown && response.status >= 500) return answer(stale, 'stale');
	response.headers.set('x-render-cache', 'miss');
	if (request.method !== 'GET' || (response.status !== 200 && response.status !== 404)) return response;
	const cacheControl = response.headers.get('cache-control') ?? '';
	if (response.headers.has('set-cookie') || /no-store|private/.test(cacheControl) || event.locals.user) return response;

	const entry = toEntry(site.id, event.route.id, response, new Uint8Array(await response.arrayBuffer()));
	try {
		await cache.store(key, entry, startedAt);
	} catch {
		// The boundary lookup failed (database gone): serve this response, just do not keep it.
	}
	// publicCache has answered a matching If-None-Match already; this is the body, compressed.
	return answer(entry, 'miss');
};
