/**
 * Resident memory with many sites' pages warm in the render cache's two tiers: `--sites` sites ×
 * 12 pages (home, events, ten event pages) stored through RenderCache with a memory tier of
 * `--l1-mb` and the disk tier in a temporary directory (deleted at the end), then RSS, what each
 * tier holds, and the time of disk reads. The disk tier keeps no per-file index in memory, so RSS
 * does not grow with what is on disk; the memory tier is bounded by its bytes.
 *
 *   npx tsx scripts/bench-l2-memory.ts [--sites 10000] [--l1-mb 128]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiskTier } from '../src/lib/server/public-site/disk-cache';
import { RenderCache, toEntry } from '../src/lib/server/public-site/render-cache';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const SITES = flag('--sites', 10_000);
const L1_MB = flag('--l1-mb', 128);
const PAGES = ['/', '/events', ...Array.from({ length: 10 }, (_, i) => `/events/event-${i}`)];

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

const WORDS = Array.from({ length: 400 }, (_, i) => (i * 2654435761).toString(36).slice(0, 3 + (i % 7)));
/**
 * A page like the demo's home (~14 KB of HTML of varied words, so it compresses about as well:
 * 4–5×); compressed once per page kind, its bodies copied for every site (as real pages are).
 */
function template(n: number) {
	const words = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join(' ');
	const html = `<!doctype html><html><head><title>Page ${n}</title></head><body>${Array.from(
		{ length: 40 },
		(_, i) => `<article><h2>${words(4)}</h2><p>Thursday ${i} March, 19:00 – 22:00, ${words(30)}</p></article>`
	).join('')}</body></html>`;
	const body = new TextEncoder().encode(html);
	return toEntry('x', '/', new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', etag: `"t${n}"` } }), body);
}

async function main(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'l2-memory-'));
	try {
		const disk = new DiskTier(dir, 1024 * 1024 * 1024 * 1024);
		disk.verify(null);
		const cache = new RenderCache(L1_MB * 1024 * 1024, 6 * 3600_000, async () => null, 0, disk);
		const templates = PAGES.map((_, i) => template(i));
		const t0 = templates[0]!;
		console.log(`page: ${t0.length} bytes, brotli ${t0.br!.byteLength}, gzip ${t0.gzip!.byteLength}`);
		const before = rssMb();
		const started = performance.now();
		for (let s = 0; s < SITES; s++) {
			const siteId = `site-${s}`;
			for (let p = 0; p < PAGES.length; p++) {
				const t = templates[p]!;
				const entry = { ...t, siteId, br: new Uint8Array(t.br!), gzip: new Uint8Array(t.gzip!) };
				await cache.store(`${siteId} ${PAGES[p]}`, entry, cache.generation(siteId));
				// Let the disk writes (off the store path, at most 64 under way) keep up, as renders would.
				while (disk.pending > 32) await new Promise((r) => setTimeout(r, 1));
			}
			if (s % 10_000 === 9_999) console.log(`  ${s + 1} sites stored, RSS ${rssMb().toFixed(0)} MB`);
		}
		for (let i = 0; i < 200 && disk.pending > 0; i++) await new Promise((r) => setTimeout(r, 100));
		const seconds = (performance.now() - started) / 1000;
		globalThis.gc?.();
		console.log(
			`${SITES} sites × ${PAGES.length} pages in ${seconds.toFixed(0)} s: memory tier ${cache.size} pages (${(cache.bytes / 1048576).toFixed(0)} MB of ${L1_MB}), disk tier ${disk.stats.writes} files (${disk.stats.skipped} skipped)`
		);
		console.log(`RSS before ${before.toFixed(0)} MB, after ${rssMb().toFixed(0)} MB`);

		// Reads of pages that are not in memory (the first sites were evicted by the later ones).
		const reads = 2000;
		const t = performance.now();
		let found = 0;
		for (let i = 0; i < reads; i++) {
			const s = Math.floor(Math.random() * Math.min(SITES, 1000));
			if (await disk.read(`site-${s} /events`, `site-${s}`)) found++;
		}
		console.log(`${reads} disk reads (one at a time): ${(((performance.now() - t) * 1000) / reads).toFixed(0)} µs each, ${found} found`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
