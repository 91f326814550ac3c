import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntry, DiskTier, encodeEntry } from './disk-cache';
import { RenderCache, toEntry, type CachedResponse } from './render-cache';

const dirs: string[] = [];
const tempDir = () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'page-cache-'));
	dirs.push(dir);
	return dir;
};
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const page = (siteId: string, text = `<p>${siteId} page</p>`.repeat(50)): CachedResponse => {
	const body = new TextEncoder().encode(text);
	const response = new Response(body, { headers: { 'content-type': 'text/html', etag: '"e1"', 'cache-control': 'public, max-age=0' } });
	return { ...toEntry(siteId, '/', response, body), freshUntil: Date.now() + 60_000 };
};

/** Every entry file under the tier's directory. */
const entryFiles = (dir: string) =>
	readdirSync(path.join(dir, 'sites'), { recursive: true, withFileTypes: true })
		.filter((d) => d.isFile() && !d.name.endsWith('.tmp'))
		.map((d) => path.join(d.parentPath, d.name));

describe('disk tier', () => {
	it('writes and reads an entry back byte for byte', async () => {
		const tier = new DiskTier(tempDir(), 10_000_000);
		tier.verify(null);
		const entry = page('site-a');
		expect(await tier.write('site-a /', entry, () => true)).toBe(true);
		const read = await tier.read('site-a /', 'site-a');
		expect(read).toBeDefined();
		expect(Buffer.from(read!.br!).equals(Buffer.from(entry.br!))).toBe(true);
		expect(Buffer.from(read!.gzip!).equals(Buffer.from(entry.gzip!))).toBe(true);
		expect([read!.status, read!.headers, read!.etag, read!.length, read!.freshUntil]).toEqual([
			entry.status,
			entry.headers,
			entry.etag,
			entry.length,
			entry.freshUntil
		]);
	});

	it('never serves one site’s file for another site’s request', async () => {
		const tier = new DiskTier(tempDir(), 10_000_000);
		tier.verify(null);
		await tier.write('site-a /', page('site-a'), () => true);
		expect(await tier.read('site-a /', 'site-b')).toBeUndefined();
		expect(await tier.read('site-b /', 'site-b')).toBeUndefined();
		expect(await tier.read('site-a /', 'site-a')).toBeDefined();
	});

	it('ignores truncated, corrupt, foreign and expired files (and removes them)', async () => {
		const dir = tempDir();
		const tier = new DiskTier(dir, 10_000_000);
		tier.verify(null);
		const bytes = encodeEntry('site-a /', page('site-a'), null);
		expect(decodeEntry(bytes)).not.toBeNull();
		expect(decodeEntry(bytes.subarray(0, bytes.byteLength - 10))).toBeNull();
		const flipped = Buffer.from(bytes);
		flipped[flipped.byteLength >> 1]! ^= 0xff;
		expect(decodeEntry(flipped)).toBeNull();
		expect(decodeEntry(Buffer.from('not a cache file at all'))).toBeNull();

		for (const broken of [bytes.subarray(0, 40), flipped, Buffer.alloc(0)]) {
			await tier.write('site-a /', page('site-a'), () => true);
			const [file] = entryFiles(dir);
			writeFileSync(file!, broken);
			expect(await tier.read('site-a /', 'site-a')).toBeUndefined();
			await sleep(20);
			expect(entryFiles(dir)).toEqual([]);
		}
		await tier.write('site-a /', { ...page('site-a'), freshUntil: Date.now() - 1 }, () => true);
		expect(await tier.read('site-a /', 'site-a')).toBeUndefined();
		expect(tier.stats.rejected).toBe(4);
	});

	it('drops a site at once without touching other sites', async () => {
		const dir = tempDir();
		const tier = new DiskTier(dir, 10_000_000);
		tier.verify(null);
		for (let i = 0; i < 5; i++) await tier.write(`site-a /${i}`, page('site-a'), () => true);
		await tier.write('site-b /', page('site-b'), () => true);
		tier.dropSite('site-a');
		// Synchronously gone: no read in between finds one of A's files.
		expect(await tier.read('site-a /1', 'site-a')).toBeUndefined();
		expect(await tier.read('site-b /', 'site-b')).toBeDefined();
		await sleep(50);
		expect(entryFiles(dir).length).toBe(1);
		expect(readdirSync(path.join(dir, 'trash'))).toEqual([]);
	});

	it('does not keep a file whose site changed while it was written', async () => {
		const dir = tempDir();
		const tier = new DiskTier(dir, 10_000_000);
		tier.verify(null);
		expect(await tier.write('site-a /', page('site-a'), () => false)).toBe(false);
		expect(entryFiles(dir)).toEqual([]);
	});

	it('evicts the oldest files past its bound', async () => {
		const dir = tempDir();
		const size = encodeEntry('site-a /0', page('site-a'), null).byteLength;
		const tier = new DiskTier(dir, size * 10);
		tier.verify(null);
		for (let i = 0; i < 14; i++) {
			await tier.write(`site-a /${i}`, page('site-a'), () => true);
			await sleep(5);
		}
		await tier.sweep();
		const left = entryFiles(dir).length;
		expect(left).toBeLessThanOrEqual(8);
		expect(await tier.read('site-a /13', 'site-a')).toBeDefined();
		expect(await tier.read('site-a /0', 'site-a')).toBeUndefined();
		expect(tier.stats.evicted).toBe(14 - left);
	});

	it('skips writes past 64 under way instead of queueing them', async () => {
		const tier = new DiskTier(tempDir(), 100_000_000);
		tier.verify(null);
		const results = await Promise.all(Array.from({ length: 100 }, (_, i) => tier.write(`site-a /${i}`, page('site-a'), () => true)));
		expect(results.filter(Boolean).length).toBe(64);
		expect(tier.stats.skipped).toBe(36);
		expect(tier.pending).toBe(0);
	});

	it('records the change number it was stored under', async () => {
		const bytes = encodeEntry('site-a /', page('site-a'), 42n);
		expect(decodeEntry(bytes)?.meta.seq).toBe('42');
	});

	it('after a restart keeps its files only if no change was made meanwhile', async () => {
		const dir = tempDir();
		let heard: bigint | null = 7n;
		const first = new DiskTier(dir, 10_000_000, () => heard);
		first.verify(7n);
		await first.write('site-a /', page('site-a'), () => true);
		heard = 8n;
		first.dropSite('site-b'); // change 8, heard by this process: checkpoint moves on
		expect(readFileSync(path.join(dir, 'checkpoint'), 'utf8')).toBe('8');

		// Restarted, nothing changed since: kept.
		const second = new DiskTier(dir, 10_000_000, () => 8n);
		expect(second.verify(8n)).toBe(true);
		expect(await second.read('site-a /', 'site-a')).toBeDefined();

		// Restarted after change 9, made while no process of this disk listened: dropped, whichever site it was.
		const third = new DiskTier(dir, 10_000_000, () => 9n);
		expect(await third.read('site-a /', 'site-a')).toBeUndefined(); // not verified yet: reads nothing
		expect(third.verify(9n)).toBe(false);
		expect(await third.read('site-a /', 'site-a')).toBeUndefined();
	});
});

describe('render cache with a disk tier', () => {
	it('stores pages on disk, reads them back on a memory miss, and drops them with the site', async () => {
		const dir = tempDir();
		const disk = new DiskTier(dir, 10_000_000);
		disk.verify(null);
		// A memory tier too small for any page: everything comes from disk.
		const cache = new RenderCache(100, 60_000, async () => null, 0, disk);
		expect(await cache.store('site-a /', page('site-a'), cache.generation('site-a'))).toBe(false);
		await sleep(50);
		expect(cache.get('site-a /')).toBeUndefined();
		expect((await cache.fromDisk('site-a /', 'site-a'))?.siteId).toBe('site-a');

		const other = await cache.store('site-b /', page('site-b'), cache.generation('site-b'));
		expect(other).toBe(false);
		await sleep(50);
		cache.apply({ type: 'content', siteId: 'site-a' });
		expect(await cache.fromDisk('site-a /', 'site-a')).toBeUndefined();
		expect((await cache.fromDisk('site-b /', 'site-b'))?.siteId).toBe('site-b');

		// A render begun before the drop is not written.
		const started = cache.generation('site-b');
		cache.dropSite('site-b');
		await cache.store('site-b /', page('site-b'), started);
		await sleep(50);
		expect(await cache.fromDisk('site-b /', 'site-b')).toBeUndefined();
	});

	it('serves no file whose site was dropped while it was read, nor puts it in memory (the fast path relies on it)', async () => {
		const disk = new DiskTier(tempDir(), 10_000_000);
		disk.verify(null);
		const cache = new RenderCache(10_000_000, 60_000, async () => null, 0, disk);
		const started = cache.generation('site-a');
		expect(await disk.write('site-a /', { ...page('site-a'), generation: started }, () => true)).toBe(true);
		const reading = cache.fromDisk('site-a /', 'site-a');
		// The change arrives while the read is under way.
		cache.apply({ type: 'content', siteId: 'site-a' });
		expect(await reading).toBeUndefined();
		expect(cache.getStale('site-a /')).toBeUndefined();
		// Without a drop the same file is served and promoted.
		expect(await disk.write('site-a /', { ...page('site-a'), generation: cache.generation('site-a') }, () => true)).toBe(true);
		expect((await cache.fromDisk('site-a /', 'site-a'))?.siteId).toBe('site-a');
		expect(cache.get('site-a /')?.siteId).toBe('site-a');
	});
});
