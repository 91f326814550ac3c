import { describe, expect, it } from 'vitest';
import { etagOf, matchesIfNoneMatch } from './http-cache';

describe('conditional requests', () => {
	const etag = etagOf(new TextEncoder().encode('hello'));

	it('derives a weak ETag from the body', () => {
		expect(etag).toMatch(/^W\/"[\w-]+"$/);
		expect(etagOf(new TextEncoder().encode('hello!'))).not.toBe(etag);
	});

	it('matches If-None-Match lists weakly, and *', () => {
		expect(matchesIfNoneMatch(etag, etag)).toBe(true);
		expect(matchesIfNoneMatch(etag.slice(2), etag)).toBe(true);
		expect(matchesIfNoneMatch(`"other", ${etag}`, etag)).toBe(true);
		expect(matchesIfNoneMatch('*', etag)).toBe(true);
		expect(matchesIfNoneMatch('"other"', etag)).toBe(false);
		expect(matchesIfNoneMatch(null, etag)).toBe(false);
	});
});

describe('publicCache handle', async () => {
	const { publicCache } = await import('./http-cache');
	type Event = Parameters<typeof publicCache>[0]['event'];

	function run(
		path: string,
		locals: Partial<App.Locals>,
		init: ResponseInit & { body?: string } = {},
		headers: Record<string, string> = {}
	) {
		const url = new URL(`http://club.example${path}`);
		const event = {
			url,
			request: new Request(url, { headers }),
			locals: { site: { id: 's1' }, isHub: false, user: null, sessionId: null, ...locals }
		} as unknown as Event;
		return publicCache({ event, resolve: async () => new Response(init.body ?? 'page', init) });
	}

	it('caches anonymous public pages briefly, with an ETag and 304', async () => {
		const r = await run('/events', {});
		expect(r.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=600');
		const etag = r.headers.get('etag')!;
		expect(etag).toBeTruthy();
		expect(await r.text()).toBe('page');
		const again = await run('/events', {}, {}, { 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(again.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=600');
	});

	it('keeps a route’s own Cache-Control', async () => {
		const r = await run('/events.ics', {}, { headers: { 'cache-control': 'public, max-age=300, stale-while-revalidate=3600' } });
		expect(r.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=3600');
	});

	it('makes anything personal private, no-store, without an ETag', async () => {
		const signedIn = await run('/', { user: { id: 'u', name: 'U', image: null, discordId: null, locale: null }, sessionId: 'sess' });
		expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
		expect(signedIn.headers.get('etag')).toBeNull();
		const cookie = await run('/', {}, { headers: { 'set-cookie': 'a=b' } });
		expect(cookie.headers.get('cache-control')).toBe('private, no-store');
	});

	it('leaves admin, sign-in, hub and non-GET responses alone', async () => {
		expect((await run('/admin/events', {})).headers.get('cache-control')).toBeNull();
		expect((await run('/login', {})).headers.get('cache-control')).toBeNull();
		expect((await run('/', { site: null, isHub: true })).headers.get('cache-control')).toBeNull();
	});
});
