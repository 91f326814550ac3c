/**
 * Warm host resolution cost per request: parseHost on the raw Host header, then the resolver's
 * cache, with 10, 1,000 and 100,000 domains cached. Target: under 5 µs and flat.
 *
 *   npx tsx scripts/bench-resolve.ts [lookups per run, default 1000000]
 *
 * The cache is filled through the resolver's own lookup path, with a finder that builds the site
 * in memory instead of querying the database: after warm-up a request never reaches the finder
 * (checked below), so what is timed is exactly what a warm request runs. Numbers are noisy on a
 * shared machine; read the ratios.
 */
import { parseHost } from '../src/lib/server/hosts/parse-host';
import { HostResolver, type SiteFinder } from '../src/lib/server/hosts/resolver';
import type { SiteContext } from '../src/lib/server/hosts/site-context';

const LOOKUPS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 5;
const SIZES = [10, 1_000, 100_000];

const template: Omit<SiteContext, 'id' | 'slug' | 'name' | 'primaryHost'> = {
	tagline: '',
	description: '',
	timezone: 'UTC',
	contactEmail: null,
	status: 'active',
	theme: {} as SiteContext['theme'],
	logo: null,
	background: null,
	updatedAt: new Date()
};

/** Custom domains `collective-<i>.example`, each the primary host of its own site. */
const finder: SiteFinder = async (host) => {
	const m = /^collective-(\d+)\.example$/.exec(host);
	if (!m) return null;
	const slug = `collective-${m[1]}`;
	return { site: { ...template, id: slug, slug, name: slug, primaryHost: host } };
};

/** Host headers as browsers send them: mostly bare, some with a port or in capitals. */
function headerFor(i: number): string {
	const host = `collective-${i}.example`;
	return i % 4 === 1 ? `${host}:443` : i % 4 === 2 ? host.toUpperCase() : host;
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

/** xorshift32, so the access order is random but the same on every run. */
function order(n: number, count: number): Uint32Array {
	const out = new Uint32Array(count);
	let x = 2463534242;
	for (let i = 0; i < count; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = (x >>> 0) % n;
	}
	return out;
}

function nsPerOp(fn: () => number): number {
	const runs: number[] = [];
	let sink = 0;
	for (let r = 0; r < RUNS; r++) {
		const t0 = process.hrtime.bigint();
		sink += fn();
		runs.push(Number(process.hrtime.bigint() - t0) / LOOKUPS);
	}
	if (sink === -1) console.log(sink); // keep the work observable
	return median(runs);
}

async function measure(n: number) {
	const resolver = new HostResolver(
		{ platformDomain: 'hub.example', maxEntries: n + 100, maxNegative: 10_000, ttlMs: 5 * 60_000, negativeTtlMs: 30_000 },
		finder
	);
	const headers = Array.from({ length: n }, (_, i) => headerFor(i));
	const hosts = headers.map((h) => parseHost(h)!);
	for (const host of hosts) await resolver.resolve(host);
	if (resolver.lookups !== n || resolver.size.hits !== n)
		throw new Error(`warm-up failed: ${resolver.lookups} lookups, ${resolver.size.hits} cached`);
	const idx = order(n, LOOKUPS);

	const parse = nsPerOp(() => {
		let k = 0;
		for (let i = 0; i < LOOKUPS; i++) k += parseHost(headers[idx[i]!]!)!.length;
		return k;
	});
	const cache = nsPerOp(() => {
		let k = 0;
		for (let i = 0; i < LOOKUPS; i++) {
			const r = resolver.resolve(hosts[idx[i]!]!);
			if (r instanceof Promise) throw new Error('cold lookup during the benchmark');
			k += r.kind.length;
		}
		return k;
	});
	const total = nsPerOp(() => {
		let k = 0;
		for (let i = 0; i < LOOKUPS; i++) {
			const r = resolver.resolve(parseHost(headers[idx[i]!]!)!);
			if (r instanceof Promise) throw new Error('cold lookup during the benchmark');
			k += r.kind.length;
		}
		return k;
	});
	if (resolver.lookups !== n) throw new Error('the benchmark reached the finder');
	return { n, parse, cache, total };
}

const rows = [];
for (const n of SIZES) rows.push(await measure(n));
const base = rows[0]!.total;
const fmt = (ns: number) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
console.log(`\nWarm host resolution, ${LOOKUPS.toLocaleString('en')} lookups per run, median of ${RUNS} runs (Node ${process.version})\n`);
console.log('| domains cached | parseHost | cache hit | total per request | vs 10 domains |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
	console.log(`| ${r.n.toLocaleString('en')} | ${fmt(r.parse)} | ${fmt(r.cache)} | ${fmt(r.total)} | ${(r.total / base).toFixed(2)}× |`);
}
const worst = Math.max(...rows.map((r) => r.total));
console.log(`\nTarget under 5 µs per request: ${worst < 5000 ? 'met' : 'NOT met'} (worst ${fmt(worst)}).`);
