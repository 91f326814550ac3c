/** Which entries of the hub calendar cache a change drops (whats-on-cache.ts). */
import { describe, expect, it } from 'vitest';
import { WhatsOnCache, whatsOnKey } from './whats-on-cache';

const entry = (sites: string[], unscoped: boolean) => ({
	sites: new Set(sites),
	unscoped,
	siteId: '',
	route: '/whats-on',
	status: 200,
	headers: [] as [string, string][],
	length: 10,
	gzip: new Uint8Array(10),
	etag: null
});

function filled() {
	const cache = new WhatsOnCache(1_000_000, 60_000);
	const g = cache.generation();
	cache.store('all', entry(['a', 'b'], true), null, g);
	cache.store('site=a', entry(['a'], false), null, g);
	cache.store('site=b', entry(['b'], false), null, g);
	cache.store('city=leipzig', entry(['b'], true), null, g);
	return cache;
}
const keys = (c: WhatsOnCache) => ['all', 'site=a', 'site=b', 'city=leipzig'].filter((k) => c.get(k));

describe('hub calendar cache', () => {
	it('drops only the entries that depend on the changed site', () => {
		const c = filled();
		c.apply({ type: 'content', siteId: 'a' });
		expect(keys(c)).toEqual(['site=b', 'city=leipzig']);
		c.apply({ type: 'hosts', siteId: 'b', hosts: [] });
		expect(keys(c)).toEqual([]);
	});

	it('drops every unfiltered and city page on a listing change, and the site’s own page', () => {
		const c = filled();
		c.apply({ type: 'listing', siteId: 'c' });
		expect(keys(c)).toEqual(['site=a', 'site=b']);
	});

	it('ignores a site it does not show, a hosts change without a site, and drops all on `all`', () => {
		const c = filled();
		c.apply({ type: 'content', siteId: 'z' });
		c.apply({ type: 'hosts', hosts: ['new.example'] });
		expect(keys(c)).toHaveLength(4);
		c.apply({ type: 'all' });
		expect(c.size).toBe(0);
	});

	it('does not store a render that started before a change, nor one already past its freshness', () => {
		const c = new WhatsOnCache(1_000_000, 60_000);
		const started = c.generation();
		c.apply({ type: 'content', siteId: 'a' });
		expect(c.store('site=b', entry(['b'], false), null, started)).toBe(false);
		expect(c.store('site=b', entry(['b'], false), Date.now() - 1, c.generation())).toBe(false);
		expect(c.store('site=b', entry(['b'], false), Date.now() + 10_000, c.generation())).toBe(true);
	});

	it('keys by path and the filter, venue included, in a fixed order, without other parameters', () => {
		const key = (q: string) => whatsOnKey(new URL(`http://hub.test/whats-on${q}`), '80');
		expect(key('?tag=film&place=kino.saal&utm_source=x&site=kino')).toBe('80 /whats-on?site=kino&place=kino.saal&tag=film');
		expect(key('?place=kino.saal')).not.toBe(key('?place=kino.dach'));
		expect(key('?place=')).toBe(key(''));
	});
});
