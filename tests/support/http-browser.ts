/**
 * A minimal browser for HTTP tests: cookie jar with a browser's host-only / Domain / Path /
 * Max-Age rules, and redirects followed by hand across hosts. Every hostname is sent to the
 * test server with that Host header (like --host-resolver-rules); 127.0.0.1 URLs with a port
 * (the fake Discord) are requested directly.
 */
import { request, type HttpResult, type HubServer } from './server';

export interface StoredCookie {
	name: string;
	value: string;
	/** Host the cookie came from; with `domain` it also applies to subdomains of that domain. */
	host: string;
	domain: string | null;
	path: string;
	expiresAt: number | null;
}

export interface SeenSetCookie {
	host: string;
	name: string;
	/** The raw Set-Cookie header, to assert attributes. */
	raw: string;
}

export interface Hop extends HttpResult {
	url: string;
	method: string;
	location: string | null;
}

export interface FollowOptions {
	/** Stop before requesting a URL for which this returns true (the URL is returned, not fetched). */
	stopBefore?: (url: URL) => boolean;
	maxHops?: number;
}

function parseSetCookie(raw: string, host: string): StoredCookie | null {
	const [pair, ...attrs] = raw.split(';');
	const eq = pair!.indexOf('=');
	if (eq < 1) return null;
	const cookie: StoredCookie = {
		name: pair!.slice(0, eq).trim(),
		value: pair!.slice(eq + 1).trim(),
		host,
		domain: null,
		path: '/',
		expiresAt: null
	};
	for (const attr of attrs) {
		const [k, ...v] = attr.split('=');
		const key = k!.trim().toLowerCase();
		const value = v.join('=').trim();
		if (key === 'domain' && value) cookie.domain = value.replace(/^\./, '').toLowerCase();
		else if (key === 'path' && value.startsWith('/')) cookie.path = value;
		else if (key === 'max-age') cookie.expiresAt = Date.now() + Number(value) * 1000;
		else if (key === 'expires' && cookie.expiresAt === null) cookie.expiresAt = Date.parse(value);
	}
	return cookie;
}

const pathMatches = (cookiePath: string, path: string) =>
	path === cookiePath || (path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/'));

export class HttpBrowser {
	private cookies: StoredCookie[] = [];
	/** Every Set-Cookie received, in order. */
	readonly seen: SeenSetCookie[] = [];

	constructor(readonly hub: HubServer) {}

	/** Cookies this browser would send to `url` (a URL or a bare hostname meaning path "/"). */
	cookiesFor(url: string | URL): StoredCookie[] {
		const u = typeof url === 'string' ? new URL(url.includes('://') ? url : `http://${url}/`) : url;
		const host = u.hostname.toLowerCase();
		const now = Date.now();
		this.cookies = this.cookies.filter((c) => c.expiresAt === null || c.expiresAt > now);
		return this.cookies.filter(
			(c) => (c.domain ? host === c.domain || host.endsWith('.' + c.domain) : host === c.host) && pathMatches(c.path, u.pathname)
		);
	}

	cookieHeader(url: string | URL): string {
		return this.cookiesFor(url)
			.map((c) => `${c.name}=${c.value}`)
			.join('; ');
	}

	/** Put a cookie in the jar by hand (e.g. to replay one captured elsewhere). */
	setCookie(host: string, name: string, value: string, path = '/') {
		this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === host && c.path === path));
		this.cookies.push({ name, value, host, domain: null, path, expiresAt: null });
	}

	private store(raw: string, url: URL) {
		const host = url.hostname.toLowerCase();
		const cookie = parseSetCookie(raw, host);
		if (!cookie) return;
		this.seen.push({ host, name: cookie.name, raw });
		// Like browsers: a Secure cookie sent over plain http is dropped (localhost excepted).
		const local = host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1';
		if (/;\s*secure\s*(;|$)/i.test(raw) && url.protocol === 'http:' && !local) return;
		this.cookies = this.cookies.filter(
			(c) => !(c.name === cookie.name && c.host === cookie.host && c.domain === cookie.domain && c.path === cookie.path)
		);
		if (cookie.expiresAt === null || cookie.expiresAt > Date.now()) this.cookies.push(cookie);
	}

	/** One request, with this browser's cookies; Set-Cookie headers are stored. */
	async send(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Hop> {
		const u = new URL(url);
		const method = init.method ?? (init.form ? 'POST' : 'GET');
		const headers: Record<string, string> = { accept: 'text/html', 'user-agent': 'hub-tests', ...(init.headers ?? {}) };
		const cookie = this.cookieHeader(u);
		if (cookie) headers.cookie = cookie;
		let body: string | undefined;
		if (init.form) {
			body = new URLSearchParams(init.form).toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		const direct = u.hostname === '127.0.0.1' && u.port !== '';
		const result = direct
			? await request(u.origin, u.pathname + u.search, u.host, { method, headers, body })
			: await request(this.hub.origin, u.pathname + u.search, u.host, { method, headers, body });
		for (const raw of [result.headers['set-cookie'] ?? []].flat()) this.store(raw, u);
		const location = typeof result.headers.location === 'string' ? new URL(result.headers.location, u).href : null;
		return { ...result, url: u.href, method, location };
	}

	/**
	 * Request `url` and follow redirects (303 and POST→GET on 301/302, as browsers do). Returns
	 * every hop; the last one is the final answer, or the URL `stopBefore` refused to open.
	 */
	async follow(
		url: string,
		init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
		options: FollowOptions = {}
	): Promise<{ hops: Hop[]; final: Hop; stoppedAt: string | null }> {
		const hops: Hop[] = [];
		let next: { url: string; init: typeof init } | null = { url, init };
		while (next) {
			if (hops.length >= (options.maxHops ?? 20)) throw new Error(`too many redirects: ${hops.map((h) => h.url).join(' → ')}`);
			if (hops.length > 0 && options.stopBefore?.(new URL(next.url))) return { hops, final: hops[hops.length - 1]!, stoppedAt: next.url };
			const hop = await this.send(next.url, next.init);
			hops.push(hop);
			next = hop.location && [301, 302, 303, 307, 308].includes(hop.status) ? { url: hop.location, init: {} } : null;
		}
		return { hops, final: hops[hops.length - 1]!, stoppedAt: null };
	}
}
