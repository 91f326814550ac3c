import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { cacheKey, cachedAnswer, chooseEncoding, RenderCache, toEntry } from './render-cache';

const entry = (siteId: string, bytes = 100) => ({
	siteId,
	status: 200,
	route: '/',
	headers: [['content-type', 'text/html']] as [string, string][],
	gzip: new Uint8Array(bytes),
	br: new Uint8Array(0),
	length: bytes * 4,
	etag: 'W/"x"'
});

describe('RenderCache', () => {
	it('stores and serves an entry, and drops only the changed site', async () => {
		const cache = new RenderCache(1_000_000, 60_000, async () => null);
		await cache.store('a /', entry('a'), cache.generation('a'));
		await cache.store('b /', entry('b'), cache.generation('b'));
		expect(cache.get('a /')?.siteId).toBe('a');
		cache.apply({ type: 'content', siteId: 'a' });
		expect(cache.get('a /')).toBeUndefined();
		expect(cache.get('b /')?.siteId).toBe('b');
		cache.apply({ type: 'hosts', siteId: 'b', hosts: [] });
		expect(cache.get('b /')).toBeUndefined();
	});

	it('clears everything on an `all` message', async () => {
		const cache = new RenderCache(1_000_000, 60_000, async () => null);
		await cache.store('a /', entry('a'), cache.generation('a'));
		cache.apply({ type: 'all' });
		expect(cache.size).toBe(0);
	});

	it('does not store a render that began before an invalidation', async () => {
		const cache = new RenderCache(1_000_000, 60_000, async () => null);
		const started = cache.generation('a');
		cache.apply({ type: 'content', siteId: 'a' });
		expect(await cache.store('a /', entry('a'), started)).toBe(false);
		const startedBeforeClear = cache.generation('a');
		cache.apply({ type: 'all' });
		expect(await cache.store('a /', entry('a'), startedBeforeClear)).toBe(false);
		expect(cache.get('a /')).toBeUndefined();
	});

	it('is bounded by bytes: the least recently used pages go first', async () => {
		const cache = new RenderCache(10 * 1024, 60_000, async () => null);
		for (let i = 0; i < 20; i++) await cache.store(`a /${i}`, entry('a', 1000), cache.generation('a'));
		expect(cache.bytes).toBeLessThanOrEqual(10 * 1024);
		expect(cache.size).toBeLessThan(20);
		expect(cache.get('a /19')).toBeDefined();
		expect(cache.get('a /0')).toBeUndefined();
		// A page larger than the whole cache is simply not kept.
		expect(await cache.store('a /huge', entry('a', 20_000), cache.generation('a'))).toBe(false);
	});

	it('keeps exactly the bytes it counts, not the larger buffer a compressed page was cut from', async () => {
		const body = new TextEncoder().encode('<p>a small page</p>'.repeat(100));
		const made = toEntry('a', '/', new Response(body, { headers: { 'content-type': 'text/html' } }), body);
		for (const bytes of [made.gzip!, made.br!]) expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
		expect(gunzipSync(made.gzip!).equals(Buffer.from(body))).toBe(true);
		expect(brotliDecompressSync(made.br!).equals(Buffer.from(body))).toBe(true);
		expect(made.raw).toBeUndefined();
		// Images are kept as they are.
		const png = toEntry('a', '/og-image.png', new Response(body, { headers: { 'content-type': 'image/png' } }), body);
		expect([png.raw?.byteLength, png.gzip, png.br]).toEqual([body.byteLength, undefined, undefined]);
	});

	it('drops a site in O(1): its entries are never served again, other sites keep theirs', async () => {
		const cache = new RenderCache(10_000_000, 60_000, async () => null, 600_000);
		for (let i = 0; i < 100; i++) await cache.store(`a /${i}`, entry('a'), cache.generation('a'));
		await cache.store('b /', entry('b'), cache.generation('b'));
		cache.dropSite('a');
		expect(cache.get('a /1')).toBeUndefined();
		expect(cache.getStale('a /2')).toBeUndefined();
		expect(cache.get('b /')?.siteId).toBe('b');
		await cache.store('a /1', entry('a'), cache.generation('a'));
		expect(cache.get('a /1')?.siteId).toBe('a');
	});

	it('keeps an expired entry for outages (getStale), but never one dropped by a change', async () => {
		vi.useFakeTimers({ now: new Date('2030-01-01T12:00:00Z') });
		try {
			const cache = new RenderCache(1_000_000, 60_000, async () => null, 600_000);
			await cache.store('a /', entry('a'), cache.generation('a'));
			await cache.store('a /events', entry('a'), cache.generation('a'));
			vi.advanceTimersByTime(61_000);
			expect(cache.get('a /')).toBeUndefined();
			expect(cache.getStale('a /')?.siteId).toBe('a');
			vi.advanceTimersByTime(600_000);
			expect(cache.getStale('a /')).toBeUndefined();
			await cache.store('a /', entry('a'), cache.generation('a'));
			vi.advanceTimersByTime(61_000);
			cache.apply({ type: 'content', siteId: 'a' });
			expect(cache.getStale('a /')).toBeUndefined();
		} finally {
			vi.useRealTimers();
		}
	});

	it('expires entries at the next event boundary, looked up once per site', async () => {
		vi.useFakeTimers({ now: new Date('2030-01-01T12:00:00Z') });
		try {
			const boundary = vi.fn(async () => new Date('2030-01-01T12:00:30Z'));
			const cache = new RenderCache(1_000_000, 300_000, boundary);
			await cache.store('a /', entry('a'), cache.generation('a'));
			await cache.store('a /events', entry('a'), cache.generation('a'));
			expect(boundary).toHaveBeenCalledTimes(1);
			vi.advanceTimersByTime(29_000);
			expect(cache.get('a /')).toBeDefined();
			vi.advanceTimersByTime(2_000);
			expect(cache.get('a /')).toBeUndefined();
			expect(cache.get('a /events')).toBeUndefined();
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('cacheKey', () => {
	it('keeps only the query parameters a page reads', () => {
		expect(cacheKey('s', new URL('http://x/?utm_source=a&fbclid=b'))).toBe('s /');
		expect(cacheKey('s', new URL('http://x/events?page=2&junk=1'))).toBe('s /events?page=2');
		expect(cacheKey('s', new URL('http://x/events'))).not.toBe(cacheKey('s', new URL('http://x/events?page=2')));
		expect(cacheKey('s', new URL('http://x/'))).not.toBe(cacheKey('t', new URL('http://x/')));
		// Absolute links in a page carry the request's port: another port is another page.
		expect(cacheKey('s', new URL('http://x:6666/'))).not.toBe(cacheKey('s', new URL('http://x/')));
	});
});

describe('chooseEncoding', () => {
	it('takes brotli when offered at least as high as gzip, else gzip, else nothing', () => {
		expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
		expect(chooseEncoding('br;q=1.0, gzip;q=0.8')).toBe('br');
		expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
		expect(chooseEncoding('gzip, deflate')).toBe('gzip');
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding('br;q=0, *')).toBe('gzip');
		expect(chooseEncoding('gzip;q=0')).toBe(null);
		expect(chooseEncoding('identity')).toBe(null);
		expect(chooseEncoding('x-gzip-not')).toBe(null);
		expect(chooseEncoding(null)).toBe(null);
	});
});

describe('cachedAnswer', () => {
	const body = new TextEncoder().encode('<p>page</p>'.repeat(50));
	const made = toEntry('a', '/', new Response(body, { headers: { 'content-type': 'text/html', etag: 'W/"e"' } }), body);
	const header = (a: { headers: [string, string][] }, name: string) => a.headers.find(([n]) => n === name)?.[1];

	it('answers with a Content-Length in every encoding, HEAD without a body, 304 on a matching ETag', () => {
		const br = cachedAnswer(made, 'GET', 'gzip, br', null, 'hit');
		expect([header(br, 'content-encoding'), header(br, 'content-length')]).toEqual(['br', String(made.br!.byteLength)]);
		const plain = cachedAnswer(made, 'GET', null, null, 'hit');
		expect([header(plain, 'content-encoding'), header(plain, 'content-length')]).toEqual([undefined, String(body.byteLength)]);
		expect(Buffer.from(plain.body!).equals(Buffer.from(body))).toBe(true);
		const head = cachedAnswer(made, 'HEAD', null, null, 'hit');
		expect([head.body, header(head, 'content-length')]).toEqual([null, String(body.byteLength)]);
		const notModified = cachedAnswer(made, 'GET', 'gzip', 'W/"e"', 'hit');
		expect([notModified.status, notModified.body, header(notModified, 'content-type'), header(notModified, 'etag')]).toEqual([
			304,
			null,
			undefined,
			'W/"e"'
		]);
		expect(header(br, 'vary')).toBe('Accept-Encoding');
	});
});

describe('cacheKey of data requests', () => {
	it('gives a page and its __data.json different keys, keeping the data request parameters', () => {
		expect(cacheKey('s', new URL('http://x/events/__data.json'))).not.toBe(cacheKey('s', new URL('http://x/events')));
		expect(cacheKey('s', new URL('http://x/__data.json?x-sveltekit-invalidated=01&utm=1'))).toBe(
			's /__data.json?x-sveltekit-invalidated=01'
		);
		expect(cacheKey('s', new URL('http://x/events/__data.json?page=2&x-sveltekit-invalidated=1'))).toBe(
			's /events/__data.json?page=2&x-sveltekit-invalidated=1'
		);
	});
});

describe('RenderCache site drop', () => {
	it('touches no entry when a site drops, whatever the number of other sites’ entries', async () => {
		const { LRUCache } = await import('lru-cache');
		const cache = new RenderCache(1_000_000_000, 60_000, async () => null, 600_000);
		for (let i = 0; i < 100_000; i++) await cache.store(`s${i % 1000} /${i}`, entry(`s${i % 1000}`, 1), cache.generation(`s${i % 1000}`));
		for (let i = 0; i < 10; i++) await cache.store(`a /${i}`, entry('a', 1), cache.generation('a'));
		expect(cache.size).toBe(100_010);
		// Every LRUCache method, counted while the drop runs: a scan or a delete would show here.
		const calls: string[] = [];
		const proto = LRUCache.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
		const originals = Object.getOwnPropertyNames(proto)
			.filter((name) => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function')
			.map((name) => [name, proto[name]!] as const);
		for (const [name, original] of originals) {
			proto[name] = function (this: unknown, ...args: unknown[]) {
				calls.push(name);
				return original.apply(this, args);
			};
		}
		try {
			cache.dropSite('a');
		} finally {
			for (const [name, original] of originals) proto[name] = original;
		}
		expect(calls).toEqual([]);
		expect(cache.size).toBe(100_010);
		// Lazily: A's entries are gone when looked up, the others are still served.
		expect(cache.get('a /3')).toBeUndefined();
		expect(cache.size).toBe(100_009);
		expect(cache.get('s7 /7')?.siteId).toBe('s7');
	});
});
