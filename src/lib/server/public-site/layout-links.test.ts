import { describe, expect, it, vi } from 'vitest';
import { LayoutLinksCache, type LayoutLinks } from './layout-links';

const links = (label: string): LayoutLinks => ({ navLinks: [{ label } as LayoutLinks['navLinks'][number]], socialLinks: [], pages: [] });

describe('LayoutLinksCache', () => {
	it('reads a site once, again after its change, and keeps other sites', async () => {
		let n = 0;
		const load = vi.fn(async (siteId: string) => links(`${siteId}${++n}`));
		const cache = new LayoutLinksCache(100, load);
		expect((await cache.get('a')).navLinks[0]!.label).toBe('a1');
		expect((await cache.get('a')).navLinks[0]!.label).toBe('a1');
		expect((await cache.get('b')).navLinks[0]!.label).toBe('b2');
		cache.apply({ type: 'content', siteId: 'a' });
		expect((await cache.get('a')).navLinks[0]!.label).toBe('a3');
		expect((await cache.get('b')).navLinks[0]!.label).toBe('b2');
		cache.apply({ type: 'hosts', siteId: 'b', hosts: [] });
		expect((await cache.get('b')).navLinks[0]!.label).toBe('b4');
		cache.apply({ type: 'all' });
		expect((await cache.get('a')).navLinks[0]!.label).toBe('a5');
		expect(load).toHaveBeenCalledTimes(5);
	});

	it('does not keep a read that began before a change, nor a failed one', async () => {
		let release!: () => void;
		const load = vi
			.fn<(siteId: string) => Promise<LayoutLinks>>()
			.mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(links('old')))))
			.mockImplementationOnce(async () => {
				throw new Error('database gone');
			})
			.mockImplementation(async () => links('new'));
		const cache = new LayoutLinksCache(100, load);
		const pending = cache.get('a');
		cache.apply({ type: 'content', siteId: 'a' });
		release();
		expect((await pending).navLinks[0]!.label).toBe('old');
		await expect(cache.get('a')).rejects.toThrow('database gone');
		expect((await cache.get('a')).navLinks[0]!.label).toBe('new');
		expect((await cache.get('a')).navLinks[0]!.label).toBe('new');
		expect(load).toHaveBeenCalledTimes(3);
	});
});
