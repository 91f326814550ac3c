/**
 * The render cache of the hub's "What's on" pages and feeds. The site render cache keeps pages per
 * site; the calendar shows many sites at once, so each entry here records which sites it depends
 * on (every listed site its filter can show, from the route: `locals.whatsOn`) and a change of one
 * site drops only those entries: the page of another collective, or of another city, stays.
 *
 * - a change of site S (`content`, `hosts`: any write of S, its domains, its suspension) drops the
 *   entries that depend on S;
 * - a `listing` change of S (it opted in or out, changed its city, was resumed) also drops every
 *   entry not filtered by collective, since S may now appear on pages that did not depend on it;
 * - `all` (listener reconnect) drops everything;
 * - an entry also expires when the first event it shows ends, or after RENDER_CACHE_TTL_MS;
 * - a render that began before a drop is not stored (generation check), as in the site cache.
 *
 * Only anonymous GET/HEAD with status 200 are kept; query parameters other than the filter and the
 * page are left out of the key.
 */
import type { Handle } from '@sveltejs/kit';
import { LRUCache } from 'lru-cache';
import { env } from '../env';
import { onChange, type ChangeMessage } from '../changes';
import { cachedAnswer, entrySize, SESSION_COOKIE, toEntry, toResponse, type CachedResponse } from '../public-site/render-cache';
import { publicPort } from '../urls';

const PATHS = new Set(['/whats-on', '/whats-on.ics', '/whats-on.xml']);
const KEY_PARAMS = ['site', 'city', 'place', 'tag', 'page'];

/** A finished answer as the site render cache keeps it (brotli and gzip), with the sites it shows. */
interface Entry extends CachedResponse {
	sites: Set<string>;
	unscoped: boolean;
}

export class WhatsOnCache {
	private readonly entries: LRUCache<string, Entry>;
	private generationNumber = 0;

	constructor(
		maxBytes: number,
		private readonly ttlMs: number
	) {
		this.entries = new LRUCache<string, Entry>({
			maxSize: maxBytes,
			perf: Date,
			sizeCalculation: entrySize,
			ttl: ttlMs
		});
	}

	get size(): number {
		return this.entries.size;
	}

	get(key: string): Entry | undefined {
		return this.entries.get(key);
	}

	generation(): number {
		return this.generationNumber;
	}

	store(key: string, entry: Entry, freshUntil: number | null, startedAt: number): boolean {
		if (startedAt !== this.generationNumber) return false;
		const ttl = Math.min(this.ttlMs, freshUntil === null ? Infinity : freshUntil - Date.now());
		if (ttl <= 0) return false;
		this.entries.set(key, entry, { ttl });
		return true;
	}

	apply(message: ChangeMessage): void {
		if (message.type === 'all') {
			this.generationNumber++;
			this.entries.clear();
			return;
		}
		const siteId = message.siteId;
		if (!siteId) return;
		for (const [key, entry] of this.entries.entries()) {
			if (entry.sites.has(siteId) || (message.type === 'listing' && entry.unscoped)) this.entries.delete(key);
		}
		// A render under way may have read the old state of S: it must not be stored. Renders of
		// pages that do not depend on S are held back too, which costs one more render, never staleness.
		this.generationNumber++;
	}
}

let cache: WhatsOnCache | null | undefined;

export function whatsOnCache(): WhatsOnCache | null {
	if (cache === undefined) {
		const e = env();
		cache =
			e.RENDER_CACHE && e.RENDER_CACHE_MAX_BYTES > 0
				? new WhatsOnCache(Math.max(1, Math.floor(e.RENDER_CACHE_MAX_BYTES / 8)), e.RENDER_CACHE_TTL_MS)
				: null;
		const c = cache;
		if (c) onChange((message) => c.apply(message));
	}
	return cache;
}

export function whatsOnKey(url: URL, port: string): string {
	const query = KEY_PARAMS.map((k) => [k, url.searchParams.get(k)] as const)
		.filter(([, v]) => v)
		.map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
		.join('&');
	return `${port} ${url.pathname}${query ? `?${query}` : ''}`;
}

/** On the hub only, for the calendar's paths; placed where the site render cache is (hooks.server.ts). */
export const whatsOnCacheHandle: Handle = async ({ event, resolve }) => {
	const c = whatsOnCache();
	const { request, url, locals } = event;
	if (
		!c ||
		!locals.isHub ||
		!PATHS.has(url.pathname) ||
		(request.method !== 'GET' && request.method !== 'HEAD') ||
		SESSION_COOKIE.test(request.headers.get('cookie') ?? '')
	)
		return resolve(event);
	const key = whatsOnKey(url, publicPort(event));
	const hit = c.get(key);
	if (hit)
		return toResponse(
			cachedAnswer(hit, request.method, request.headers.get('accept-encoding'), request.headers.get('if-none-match'), 'hit')
		);
	const startedAt = c.generation();
	const response = await resolve(event);
	response.headers.set('x-render-cache', 'miss');
	const deps = locals.whatsOn;
	if (request.method !== 'GET' || response.status !== 200 || !deps || response.headers.has('set-cookie') || locals.user) return response;
	const body = new Uint8Array(await response.arrayBuffer());
	c.store(
		key,
		{ ...toEntry('', event.route.id, response, body), sites: new Set(deps.sites), unscoped: deps.unscoped },
		deps.freshUntil,
		startedAt
	);
	return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
