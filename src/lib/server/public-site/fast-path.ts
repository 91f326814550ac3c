/**
 * Fresh render-cache hits, from memory or the disk tier, answered from Node's own request, before adapter-node builds a WHATWG
 * Request and SvelteKit runs its route match and handle chain (issue 24: that machinery, not the
 * cache, was most of a hit's cost). The server entry (src/server-entry.js, put in front of
 * adapter-node's handler by svelte.config.js) calls the function `registerFastPath` leaves on
 * globalThis; when it answers false the request goes the usual way.
 *
 * It answers only what the handle chain would answer from the same entry, with the same bytes:
 * the same cache and resolver instances (this module is in the server bundle), the same key, the
 * same `cachedAnswer`, the headers `observe` and `headers` add, SvelteKit's own ETag check, and
 * the same log line. Anything it cannot decide without the database or SvelteKit goes the usual
 * way: an unknown or not freshly resolved host, a redirect to the primary domain, the hub, a
 * suspended site, a session cookie, several Host headers, a miss in both tiers or a stale entry, methods but
 * GET/HEAD, pending migrations. FAST_PATH=false turns it off (tests/http/fast-path.test.ts
 * compares both paths over real HTTP).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { env } from '../env';
import { log } from '../log';
import { awaitingMigrations, isDraining } from '../startup';
import { hostResolver } from '../hosts';
import { requestHost } from '../hosts/handle';
import { isHubUrl } from '../../hub-routing';
import { databaseDown } from '../db/health';
import { boundedMemo } from '../bounded-memo';
import { isPublicPath } from '../../route-namespaces';
import {
	cacheKeyPath,
	cachedAnswer,
	DISK_LOOKED,
	pageOfDataPath,
	renderCache,
	SESSION_COOKIE,
	siteCacheKey,
	type CachedResponse
} from './render-cache';

const REGISTRY = Symbol.for('collective-hub.fast-path');
type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** Called once at start-up (hooks.server.ts init). */
export function registerFastPath(): void {
	const e = env();
	// ORIGIN fixes every request's URL to one host: not a multi-site set-up, leave it to adapter-node.
	if (!e.FAST_PATH || e.ROLE === 'worker' || process.env.ORIGIN) return;
	(globalThis as Record<symbol, FastPath>)[REGISTRY] = serveFromCache;
}

/** adapter-node's header variables, read as it reads them (once, at start). */
const PROTOCOL_HEADER = (process.env.PROTOCOL_HEADER ?? '').toLowerCase();
const HOST_HEADER = (process.env.HOST_HEADER ?? '').toLowerCase();
const PORT_HEADER = (process.env.PORT_HEADER ?? '').toLowerCase();

/** One value of a header adapter-node reads, or null where it would refuse the request (several). */
function single(headers: IncomingHttpHeaders, name: string): string | undefined | null {
	if (!name) return undefined;
	const value = headers[name];
	if (!Array.isArray(value)) return value;
	return value.length === 0 ? undefined : value.length === 1 ? value[0] : null;
}

/** adapter-node's `get_origin`; null where it would throw (it then answers 400 itself). */
function originOf(headers: IncomingHttpHeaders): string | null {
	const proto = single(headers, PROTOCOL_HEADER);
	const host = single(headers, HOST_HEADER) || single(headers, 'host');
	const port = single(headers, PORT_HEADER);
	if (proto === null || host === null || port === null || !host) return null;
	let protocol: string;
	try {
		protocol = decodeURIComponent(proto || 'https');
	} catch {
		return null;
	}
	if (protocol.includes(':') || (port && isNaN(+port))) return null;
	return port ? `${protocol}://${host}:${port}` : `${protocol}://${host}`;
}

function severalHostHeaders(raw: string[]): boolean {
	let seen = 0;
	for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') seen++;
	return seen > 1;
}

/** What a request URL (origin and target, as adapter-node builds it) tells the fast path. */
interface Target {
	/** `url.port`: the port the client named, if any. */
	port: string;
	/** The hub's own host (`isHubUrl`). */
	hub: boolean;
	/** A public page (or its data request): `cacheableRequest`'s path half. */
	publicPath: boolean;
	/** `cacheKeyPath`. */
	keyPath: string;
}

/**
 * URLs parsed once, not on every request (a WHATWG URL parse, the namespace and hub checks and
 * the key's query part are pure functions of the string); null for a URL adapter-node could not
 * parse either.
 */
const targetOf = boundedMemo((href): Target | null => {
	try {
		const url = new URL(href);
		const pathname = url.pathname;
		return {
			port: url.port,
			hub: isHubUrl(url),
			publicPath: isPublicPath(pageOfDataPath(pathname) ?? pathname),
			keyPath: cacheKeyPath(url)
		};
	} catch {
		return null;
	}
});

/** SvelteKit answers 304 itself when If-None-Match, minus one `W/`, equals the ETag exactly. */
const KIT_304_HEADERS = ['cache-control', 'content-location', 'date', 'expires', 'vary'];

/**
 * True when answered; false to hand the request on. On a memory miss it reads the page's file from
 * the disk tier (renderCacheHandle's `fromDisk`, the same generation check and promotion) and
 * answers with a promise: served from disk, or (nothing there) false, and SvelteKit renders it
 * without reading the disk again (`DISK_LOOKED`).
 */
export function serveFromCache(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
	const started = performance.now();
	const method = req.method!;
	if (method !== 'GET' && method !== 'HEAD') return false;
	const cache = renderCache();
	const target = req.url;
	if (!cache || !target || target.charCodeAt(0) !== 47 || awaitingMigrations()) return false;
	const headers = req.headers;
	const cookie = headers.cookie;
	if (cookie && SESSION_COOKIE.test(cookie)) return false;
	if (severalHostHeaders(req.rawHeaders)) return false;
	const origin = originOf(headers);
	if (!origin) return false;
	const url = targetOf(origin + target);
	// GET or HEAD without a session cookie, as checked above: cacheableRequest's other half.
	if (!url?.publicPath) return false;

	const host = requestHost({ get: (name: string) => joined(headers[name]) });
	if (!host || url.hub) return false;
	const resolution = hostResolver().peekFresh(host);
	if (resolution?.kind !== 'site' || resolution.redirectTo || resolution.site.status === 'suspended') return false;
	const site = resolution.site;
	// urls.ts publicPort, from the socket adapter-node would hand SvelteKit.
	const port = url.port && String(req.socket.localPort) === url.port ? url.port : '';
	const key = siteCacheKey(site.id, port, url.keyPath);
	const entry = cache.get(key);
	if (entry) {
		respond(req, res, entry, 'hit', site.slug, host, started);
		return true;
	}
	// The handle chain's order: with the database known to be away, it answers a kept page at once.
	if (!cache.disk?.ready || (databaseDown() && cache.getStale(key))) return false;
	return cache.fromDisk(key, site.id).then((found) => {
		if (!found) {
			(req as unknown as Record<symbol, boolean>)[DISK_LOOKED] = true;
			return false;
		}
		respond(req, res, found, 'l2', site.slug, host, started);
		return true;
	});
}

/** An entry answered as renderCacheHandle's `answer` and the handles around it would answer it. */
function respond(
	req: IncomingMessage,
	res: ServerResponse,
	entry: CachedResponse,
	state: 'hit' | 'l2',
	slug: string,
	host: string,
	started: number
): void {
	const method = req.method!;
	const headers = req.headers;
	const answer = cachedAnswer(entry, method, headers['accept-encoding'], headers['if-none-match'], state);
	const logged = answer.status;
	let out = answer.headers;
	if (answer.status === 200 && entry.etag) {
		let inm = headers['if-none-match'];
		if (inm?.startsWith('W/"')) inm = inm.slice(2);
		if (inm === entry.etag) {
			out = [['etag', entry.etag], ...out.filter(([name]) => KIT_304_HEADERS.includes(name))];
			answer.status = 304;
			answer.body = null;
		}
	}
	if (env().EXPOSE_QUERY_COUNT) out.push(['x-db-queries', '0']);
	if (isDraining()) out.push(['connection', 'close']);
	res.writeHead(answer.status, flatten(out));
	res.end(answer.body ?? undefined);
	if (!log.enabled('info')) return;
	log.info('request', {
		id: randomUUID(),
		site: slug,
		host,
		method,
		route: entry.route,
		status: logged,
		ms: Math.round((performance.now() - started) * 10) / 10,
		queries: 0
	});
}

/** `pairs.flat()`, without the generic (and, per request, measurable) Array.prototype.flat. */
function flatten(pairs: [string, string][]): string[] {
	const flat: string[] = new Array(pairs.length * 2);
	for (let i = 0; i < pairs.length; i++) {
		flat[2 * i] = pairs[i]![0];
		flat[2 * i + 1] = pairs[i]![1];
	}
	return flat;
}

/** A header as the WHATWG Headers adapter-node builds would show it. */
function joined(value: string | string[] | undefined): string | null {
	return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}
