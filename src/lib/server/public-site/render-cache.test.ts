import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { acceptsGzip, cacheKey, RenderCache } from './render-cache';

const entry = (siteId: string, bytes = 100) => ({
	siteId,
	status: 200,
	headers: [['content-type', 'text/html']] as [string, string][],
	gzipped: new Uint8Array(bytes),
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

	it('keeps exactly the bytes it counts, not the larger buffer a gzipped page was cut from', async () => {
		const cache = new RenderCache(1_000_000, 60_000, async () => null);
		const gzipped = gzipSync(Buffer.from('<p>a small page</p>'.repeat(100)));
		expect(gzipped.buffer.byteLength).toBeGreaterThan(gzipped.byteLength * 10);
		await cache.store('a /', { ...entry('a'), gzipped }, cache.generation('a'));
		const kept = cache.get('a /')!.gzipped;
		expect(kept.buffer.byteLength).toBe(kept.byteLength);
		expect(Buffer.from(kept).equals(gzipped)).toBe(true);
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

describe('acceptsGzip', () => {
	const req = (value?: string) => new Request('http://x/', { headers: value === undefined ? {} : { 'accept-encoding': value } });
	it('reads Accept-Encoding with q-values', () => {
		expect(acceptsGzip(req('gzip, deflate, br'))).toBe(true);
		expect(acceptsGzip(req('br;q=1.0, gzip;q=0.8'))).toBe(true);
		expect(acceptsGzip(req('*'))).toBe(true);
		expect(acceptsGzip(req('gzip;q=0'))).toBe(false);
		expect(acceptsGzip(req('identity'))).toBe(false);
		expect(acceptsGzip(req('x-gzip-not'))).toBe(false);
		expect(acceptsGzip(req())).toBe(false);
	});
});
