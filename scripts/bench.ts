/**
 * Throughput and latency of the public site at many sites against a raw `node:http` server, with
 * the load driven from a separate process (`wrk`, the Debian package), so the load generator does
 * not share the server's event loop and flatter nothing. Loopback only, bounded in time.
 *
 *   npx tsx scripts/bench.ts [--sites 1000] [--duration 5] [--rounds 3] [--connections 32] [--no-build]
 *   npx tsx scripts/bench.ts --targets [10,1000,10000,100000]   # also: home page at each number of sites
 *   npx tsx scripts/bench.ts --targets-only [list]             # only those
 *   npx tsx scripts/bench.ts --against <checkout> [--this <checkout>] [--duration 3]   # this build against another one's
 *   npx tsx scripts/bench.ts --only miss,bare [--cpu-prof DIR]  # only some servers; profile them
 *
 * One run compares, interleaved (A, B, C… then again, `--rounds` times; medians and the median of
 * ratios paired within a round): raw node:http hello; a cached home page answered by the fast path
 * (FAST_PATH=true, the default); the same through SvelteKit's handle chain (FAST_PATH=false); an
 * uncached home page (RENDER_CACHE=false); the same page read from the render cache's disk tier
 * (RENDER_CACHE_MAX_BYTES=4096: no page fits in memory, so every request is an L2 hit); a bare SvelteKit app rendering the same data
 * (scripts/bench/kit: three queries, no hooks or caches); and prints each server's resident memory. Every request
 * names a random one of `--sites` hosts and sends a browser's Accept-Encoding.
 *
 * `--only` takes any of raw, bare, fast, kit, l2, miss: only those servers start and run (quicker
 * when one ratio is the question). `--cpu-prof DIR` starts the app's servers with `node --cpu-prof`
 * writing into DIR; each profile is written when its server stops, after the runs.
 *
 * NODE_OPTIONS for the servers come from BENCH_NODE_OPTIONS (default `--max-semi-space-size=16`,
 * as the Dockerfile). It builds the app, creates a fresh PostgreSQL database (BENCH_DATABASE_URL
 * names the server, default postgres://postgres@127.0.0.1:5432/postgres; dropped at the end),
 * seeds N sites with 2 custom domains and ~20 events each (texts with their HTML stored) in a few bulk statements. Queries per
 * request come from the server's own counter (x-db-queries). The machines are shared and noisy:
 * read the paired ratios, not the absolute numbers, and say how busy the machine was.
 *
 * `--against <checkout>` compares this build with another checkout's (a worktree at an older
 * commit, built there with `npm ci && npm run build`), e.g. the commit before a change that must
 * not cost throughput: each build migrates a database of its own, seeded alike, and serves a
 * cached home page and an uncached one (RENDER_CACHE=false); this build's cached page is also run
 * with FAST_PATH=false, the way a build without the fast path answers it. Interleaved as above;
 * the ratios are this build's against the other's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { renderMarkdown } from '../src/lib/server/markdown';
import { RENDER_VERSION } from '../src/lib/server/rich-text-version';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const SITES = flag('--sites', 1000);
const DURATION = flag('--duration', 5);
const CONNECTIONS = flag('--connections', 32);
const ROUNDS = flag('--rounds', 3);
const TARGETS_ONLY = args.includes('--targets-only');
const TARGETS = TARGETS_ONLY || args.includes('--targets');
const targetArg = args[args.indexOf(TARGETS_ONLY ? '--targets-only' : '--targets') + 1];
const TARGET_SITES = targetArg && /^[\d,]+$/.test(targetArg) ? targetArg.split(',').map(Number) : [10, 1000, 10000, 100000];
const SERVER_KEYS = ['raw', 'bare', 'fast', 'kit', 'l2', 'miss'] as const;
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : [...SERVER_KEYS];
for (const key of onlyArg) if (!SERVER_KEYS.includes(key as never)) throw new Error(`--only: unknown server ${key}`);
const runs = (key: (typeof SERVER_KEYS)[number]) => onlyArg.includes(key);
const CPU_PROF = args.includes('--cpu-prof') ? path.resolve(args[args.indexOf('--cpu-prof') + 1]!) : undefined;
const ROOT = path.resolve(import.meta.dirname, '..');
/** The bare SvelteKit app rendering the home page's data (scripts/bench/kit). */
const BARE_KIT = path.join(ROOT, 'scripts/bench/kit');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const pathFlag = (name: string) => (args.includes(name) ? path.resolve(args[args.indexOf(name) + 1]!) : undefined);
const AGAINST = pathFlag('--against');
/** With --against: the build measured against it (another checkout's, e.g. to time one commit alone). */
const THIS = pathFlag('--this') ?? ROOT;

interface Row {
	name: string;
	rps: number;
	p50: number;
	p99: number;
	errors: number;
	queries: number | null;
}

function dbUrl(name: string): string {
	const u = new URL(SERVER_URL);
	u.pathname = `/${name}`;
	return u.toString();
}

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	return {
		url: dbUrl(name),
		drop: async () => {
			const a = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

/** Sites `bench-<i>`, domains `c<i>.bench.example` (primary) and `www.c<i>.bench.example`, 20 events each. */
async function seed(url: string, sites: number): Promise<void> {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	await sql`
		insert into site (slug, name, tagline, timezone)
		select 'bench-' || i, 'Collective ' || i, 'Films, zines and nights out', 'Europe/Berlin'
		from generate_series(1, ${sites}) i`;
	await sql`
		insert into site_domain (site_id, hostname, is_primary, verification_token, verified_at)
		select s.id, h.prefix || 'c' || substr(s.slug, 7) || '.bench.example', h.prefix = '', md5(random()::text), now()
		from site s cross join (values (''), ('www.')) h(prefix)`;
	// Texts with their HTML rendered beside them, as every writer of the app stores them: a page
	// render then runs neither Markdown nor the sanitizer (stale rows would, until the rich-text job).
	const intro = 'We show films nobody else shows, **every week**.';
	await sql`
		insert into home (site_id, hero_title, intro, intro_html, render_version)
		select id, name, ${intro}, ${renderMarkdown(intro)}, ${RENDER_VERSION} from site`;
	const descriptions = Array.from({ length: 20 }, (_, i) => `A *night* of cinema, number ${i + 1}.`);
	await sql`
		insert into event (site_id, slug, title, description, description_html, render_version, starts_at, ends_at, venue_name, status)
		select s.id, 'event-' || e, 'Screening number ' || e, (${descriptions}::text[])[e], (${descriptions.map(renderMarkdown)}::text[])[e],
			${RENDER_VERSION}, now() + (e - 5) * interval '3 days' + interval '19 hours',
			now() + (e - 5) * interval '3 days' + interval '21 hours', 'The Basement', 'published'
		from site s cross join generate_series(1, 20) e`;
	await sql`analyze`;
	await sql.end();
}

interface Server {
	origin: string;
	child: ChildProcess;
	stop: () => Promise<void>;
}

async function startServer(url: string, extra: Record<string, string>, cwd = ROOT): Promise<Server & { readyMs: number }> {
	const started = performance.now();
	const child = spawn(process.execPath, ['build'], {
		cwd,
		env: {
			PATH: process.env.PATH ?? '',
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: '0',
			DATABASE_URL: url,
			PLATFORM_DOMAIN: 'hub.bench.example',
			PUBLIC_SCHEME: 'https',
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-data-')),
			SEED_DEMO: 'false',
			LOG_LEVEL: 'silent',
			AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
			EXPOSE_QUERY_COUNT: 'true',
			SHUTDOWN_DRAIN_MS: '0',
			HOST_CACHE_MAX: String(Math.max(50_000, SITES * 4)),
			NODE_OPTIONS: [
				process.env.BENCH_NODE_OPTIONS ?? '--max-semi-space-size=16',
				CPU_PROF && cwd === ROOT ? `--cpu-prof --cpu-prof-dir=${CPU_PROF}` : ''
			].join(' '),
			...extra
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const port = await new Promise<number>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const m = /Listening on (?:https?:\/\/)?[^:\s]+:(\d+)/.exec(output) ?? /"port":(\d+)/.exec(output);
			if (m) resolve(Number(m[1]));
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output.slice(-2000)}`)));
	});
	const origin = `http://127.0.0.1:${port}`;
	for (;;) {
		const app = cwd !== BARE_KIT;
		const r = await get(origin, app ? '/readyz' : '/', app ? 'hub.bench.example' : 'c1.bench.example').catch(() => null);
		if (r?.status === 200) break;
		await new Promise((r) => setTimeout(r, 20));
	}
	const readyMs = performance.now() - started;
	return {
		origin,
		child,
		readyMs,
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				// The bare app's idle database connections keep it alive after SIGTERM (it has no
				// shutdown of its own): killed after a grace period rather than left running.
				const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
				child.once('exit', () => {
					clearTimeout(kill);
					resolve();
				});
				child.kill('SIGTERM');
			})
	};
}

function get(origin: string, pathname: string, host: string): Promise<{ status: number; headers: Record<string, unknown> }> {
	const u = new URL(origin);
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: u.hostname, port: u.port, path: pathname, headers: { host } }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
		});
		req.on('error', reject);
		req.end();
	});
}

/** A request of a scenario: the i-th of all its distinct requests, or a random one without i. */
type Target = (i?: number) => { path: string; host: string };

const pick = (i: number | undefined, n: number) => (i === undefined ? Math.floor(Math.random() * n) : i % n);
const siteHost = (i: number | undefined) => `c${1 + pick(i, SITES)}.bench.example`;
/** The ten upcoming events of each site (events 6–15; the first five are past). */
const EVENTS = 10;
const SCENARIOS: Record<string, Target> = {
	home: (i) => ({ path: '/', host: siteHost(i) }),
	event: (i) => ({ path: `/events/event-${6 + pick(i === undefined ? i : Math.floor(i / SITES), EVENTS)}`, host: siteHost(i) }),
	ics: (i) => ({ path: '/events.ics', host: siteHost(i) }),
	unknownHost: (i) => ({ path: '/', host: `nobody-${pick(i, 1000)}.elsewhere.example` })
};

/** Visit each distinct request once so "warm" means warm (every page of the scenario cached). */
async function warm(origin: string, target: Target, count: number): Promise<void> {
	const queue = Array.from({ length: count }, (_, i) => target(i));
	await Promise.all(
		Array.from({ length: 16 }, async () => {
			for (let t = queue.pop(); t; t = queue.pop()) await get(origin, t.path, t.host);
		})
	);
}

async function queriesPerRequest(origin: string, target: Target, samples = 200): Promise<number> {
	let total = 0;
	for (let i = 0; i < samples; i++) {
		const t = target();
		const r = await get(origin, t.path, t.host);
		total += Number(r.headers['x-db-queries'] ?? 0);
	}
	return total / samples;
}

interface Load {
	/** Request path, and the number of sites whose hosts are picked at random (0: the Host of the URL). */
	path: string;
	sites: number;
}

/** wrk's request script: a random site's host on every request, a browser's Accept-Encoding. */
const WRK_SCRIPT = `
local sites = tonumber(os.getenv("BENCH_SITES") or "0")
local path = os.getenv("BENCH_PATH") or "/"
function init(args) math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16)) end
request = function()
  local headers = { ["Accept-Encoding"] = "gzip, deflate, br, zstd", ["Accept"] = "text/html" }
  if sites > 0 then headers["Host"] = "c" .. math.random(1, sites) .. ".bench.example" end
  return wrk.format("GET", path, headers)
end
`;
let wrkScript: string | undefined;

/** One wrk run from its own process: req/s, p50/p99 in ms, errors (socket errors, non-2xx/3xx). */
function wrk(origin: string, load: Load): Promise<Omit<Row, 'name' | 'queries'>> {
	if (!wrkScript) {
		wrkScript = path.join(mkdtempSync(path.join(tmpdir(), 'bench-wrk-')), 'random-host.lua');
		writeFileSync(wrkScript, WRK_SCRIPT);
	}
	const threads = String(Math.min(2, CONNECTIONS));
	return new Promise((resolve, reject) => {
		const child = spawn(
			'wrk',
			['-t', threads, '-c', String(CONNECTIONS), '-d', `${DURATION}s`, '--latency', '-s', wrkScript!, origin + load.path],
			{
				env: { ...process.env, BENCH_SITES: String(load.sites), BENCH_PATH: load.path },
				stdio: ['ignore', 'pipe', 'inherit']
			}
		);
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.on('error', (error) => reject(new Error(`wrk could not be started (apt-get install wrk): ${error.message}`)));
		child.on('exit', (code) => {
			if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${out}`));
			const ms = (label: string) => {
				const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\b`, 'm').exec(out);
				if (!m) return NaN;
				return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
			};
			const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
			const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
			resolve({
				rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
				p50: ms('50'),
				p99: ms('99'),
				errors: non2xx + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0)
			});
		});
	});
}

/** A raw node:http hello in a process of its own (like the app), the ceiling of what Node can answer. */
async function rawNode(): Promise<{ origin: string; child: ChildProcess; close: () => void }> {
	const child = spawn(
		process.execPath,
		[
			'-e',
			"require('node:http').createServer((q,s)=>{s.writeHead(200,{'content-type':'text/plain'});s.end('hello\\n')}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})"
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	const port = await new Promise<number>((resolve) => child.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
	return { origin: `http://127.0.0.1:${port}`, child, close: () => child.kill() };
}

function rssMb(child: ChildProcess): number {
	const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Compared {
	name: string;
	origin: string;
	load: Load;
	/** Ratios are printed against these (paired within each round). */
	against?: string[];
	queriesOf?: Target;
}

/** Every target once per round, in the same order, `ROUNDS` times; medians and paired ratios. */
async function interleaved(targets: Compared[]): Promise<void> {
	const runs = new Map<string, Omit<Row, 'name' | 'queries'>[]>(targets.map((t) => [t.name, []]));
	for (let round = 1; round <= ROUNDS; round++) {
		for (const t of targets) {
			const r = await wrk(t.origin, t.load);
			runs.get(t.name)!.push(r);
			console.log(
				`  round ${round} ${t.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99.toFixed(1)} ms  (load ${loadavg()[0]!.toFixed(1)})`
			);
		}
	}
	const pad = (s: string, n: number) => s.padEnd(n);
	const num = (n: number, d = 0) => n.toFixed(d).padStart(9);
	console.log(
		`\n${pad('median of ' + ROUNDS + ' rounds', 36)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)}${'q/req'.padStart(7)}  paired ratios (median)`
	);
	for (const t of targets) {
		const rs = runs.get(t.name)!;
		const ratios = (t.against ?? []).map((other) => {
			const paired = rs.map((r, i) => r.rps / runs.get(other)![i]!.rps);
			return `${median(paired).toFixed(3)}× ${other} [${paired.map((p) => p.toFixed(3)).join(', ')}]`;
		});
		const q = t.queriesOf ? (await queriesPerRequest(t.origin, t.queriesOf, 100)).toFixed(1).padStart(7) : '      —';
		console.log(
			`${pad(t.name, 36)}${num(median(rs.map((r) => r.rps)))}${num(median(rs.map((r) => r.p50)), 2)}${num(median(rs.map((r) => r.p99)), 2)}${num(rs.reduce((n, r) => n + r.errors, 0))}${q}  ${ratios.join('; ')}`
		);
	}
}

async function main(): Promise<void> {
	if (!args.includes('--no-build')) {
		console.log('building…');
		const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('build failed');
		if (AGAINST) return against(AGAINST);
		const kit = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
			cwd: BARE_KIT,
			stdio: 'inherit'
		});
		if (kit.status !== 0) throw new Error('build of scripts/bench/kit failed');
	}
	if (AGAINST) return against(AGAINST);
	if (TARGETS_ONLY) return targets();
	const db = await createDatabase();
	const servers: Server[] = [];
	let raw: Awaited<ReturnType<typeof rawNode>> | undefined;
	try {
		// The first server migrates the database; without the fast path in --only it stops after.
		const first = await startServer(db.url, { RENDER_CACHE: 'true' });
		console.log(`server ready in ${first.readyMs.toFixed(0)} ms (migrations included), idle RSS ${rssMb(first.child).toFixed(0)} MB`);
		const seedStarted = performance.now();
		await seed(db.url, SITES);
		console.log(
			`seeded ${SITES} sites (${SITES * 2} domains, ${SITES * 20} events) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`
		);
		const fast = runs('fast') ? first : (await first.stop(), undefined);
		const start = (key: (typeof SERVER_KEYS)[number], extra: Record<string, string>, cwd?: string) =>
			runs(key) ? startServer(db.url, { RUN_MIGRATIONS: 'false', ...extra }, cwd) : Promise.resolve(undefined);
		const kit = await start('kit', { RENDER_CACHE: 'true', FAST_PATH: 'false' });
		const off = await start('miss', { RENDER_CACHE: 'false' });
		// A memory tier smaller than any page: every request is read from the disk tier.
		const l2 = await start('l2', { RENDER_CACHE: 'true', RENDER_CACHE_MAX_BYTES: '4096' });
		const bare = await start('bare', {}, BARE_KIT);
		const named = { fast, kit, miss: off, l2, bare };
		servers.push(...[fast, kit, off, l2, bare].filter((s) => s !== undefined));
		if (runs('raw')) raw = await rawNode();
		for (const s of [fast, kit, l2]) if (s) await warm(s.origin, SCENARIOS.home!, SITES);
		if (l2) {
			// The disk writes are off the request path: let them land.
			await new Promise((r) => setTimeout(r, 1000));
			const l2State = (await get(l2.origin, '/', siteHost(0))).headers['x-render-cache'];
			if (l2State !== 'l2') throw new Error(`the L2 server answered ${String(l2State)}, not l2`);
		}
		if (off) await warm(off.origin, SCENARIOS.home!, Math.min(SITES, 2000));
		console.log(
			`\nhome page, a random one of ${SITES} sites per request, ${CONNECTIONS} connections, ${DURATION} s per run, load average before: ${loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')}`
		);
		const home: Load = { path: '/', sites: SITES };
		const compared: (Omit<Compared, 'origin'> & { origin?: string })[] = [
			{ name: 'raw node:http hello', origin: raw?.origin, load: { path: '/', sites: 0 } },
			{ name: 'bare SvelteKit page, same data', origin: bare?.origin, load: home, against: ['raw node:http hello'] },
			{
				name: 'hit, fast path',
				origin: fast?.origin,
				load: home,
				against: ['raw node:http hello', 'hit, through SvelteKit'],
				queriesOf: SCENARIOS.home
			},
			{ name: 'hit, through SvelteKit', origin: kit?.origin, load: home, against: ['raw node:http hello'], queriesOf: SCENARIOS.home },
			{
				name: 'L2 hit (disk, 4 KB memory tier)',
				origin: l2?.origin,
				load: home,
				against: ['miss (render cache off)', 'hit, fast path'],
				queriesOf: SCENARIOS.home
			},
			{
				name: 'miss (render cache off)',
				origin: off?.origin,
				load: home,
				against: ['bare SvelteKit page, same data', 'raw node:http hello', 'hit, fast path'],
				queriesOf: SCENARIOS.home
			}
		];
		const running = new Set(compared.filter((t) => t.origin).map((t) => t.name));
		await interleaved(
			compared
				.filter((t): t is Compared => t.origin !== undefined)
				.map((t) => ({ ...t, against: t.against?.filter((other) => running.has(other)) }))
		);
		const memory = Object.entries(named).filter(([, s]) => s);
		console.log(`\nresident memory after the runs: ${memory.map(([name, s]) => `${name} ${rssMb(s!.child).toFixed(0)} MB`).join(', ')}`);
		await Promise.all(servers.splice(0).map((s) => s.stop()));

		if (TARGETS) await targets();
	} finally {
		raw?.close();
		await Promise.all(servers.map((s) => s.stop()));
		await db.drop();
	}
}

/** This build against another checkout's: cached and uncached home page, each on its own database. */
async function against(other: string): Promise<void> {
	const before = path.basename(other);
	const mine = THIS === ROOT ? 'this build' : path.basename(THIS);
	const dbs: Awaited<ReturnType<typeof createDatabase>>[] = [];
	// Five servers: on a PostgreSQL short of connections, BENCH_POOL_MAX gives each a smaller pool (the same for both builds).
	const pool: Record<string, string> = process.env.BENCH_POOL_MAX ? { DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX } : {};
	const servers: Server[] = [];
	const serve = async (cwd: string) => {
		const db = await createDatabase();
		dbs.push(db);
		// The first server migrates its own database (the schemas differ), then it is seeded.
		const cached = await startServer(db.url, { RENDER_CACHE: 'true', ...pool }, cwd);
		servers.push(cached);
		await seed(db.url, SITES);
		const uncached = await startServer(db.url, { RENDER_CACHE: 'false', RUN_MIGRATIONS: 'false', ...pool }, cwd);
		servers.push(uncached);
		return { cached, uncached };
	};
	try {
		const now = await serve(THIS);
		const then = await serve(other);
		const slow = await startServer(dbs[0]!.url, { RENDER_CACHE: 'true', FAST_PATH: 'false', RUN_MIGRATIONS: 'false', ...pool }, THIS);
		servers.push(slow);
		for (const s of [now.cached, then.cached, slow]) await warm(s.origin, SCENARIOS.home!, SITES);
		for (const s of [now.uncached, then.uncached]) await warm(s.origin, SCENARIOS.home!, Math.min(SITES, 2000));
		console.log(
			`\n${mine} against ${before}: home page, a random one of ${SITES} sites per request, ${CONNECTIONS} connections, ${DURATION} s per run, load average before: ${loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')}`
		);
		const home: Load = { path: '/', sites: SITES };
		await interleaved([
			{ name: `cached, ${before}`, origin: then.cached.origin, load: home, queriesOf: SCENARIOS.home },
			{ name: `cached, ${mine}`, origin: now.cached.origin, load: home, against: [`cached, ${before}`], queriesOf: SCENARIOS.home },
			{ name: `cached, ${mine}, FAST_PATH=false`, origin: slow.origin, load: home, against: [`cached, ${before}`] },
			{ name: `uncached, ${before}`, origin: then.uncached.origin, load: home, queriesOf: SCENARIOS.home },
			{ name: `uncached, ${mine}`, origin: now.uncached.origin, load: home, against: [`uncached, ${before}`], queriesOf: SCENARIOS.home }
		]);
		console.log(
			`load average after: ${loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')}`
		);
	} finally {
		await Promise.all(servers.map((s) => s.stop()));
		for (const db of dbs) await db.drop();
	}
}

/** The issue's targets: flat in the number of sites, cold start, memory with 10,000 sites warm. */
async function targets(): Promise<void> {
	console.log(`\n--targets: home page, cache on, at ${TARGET_SITES.join(' / ')} sites`);
	const results: { sites: number; rps: number; p99: number; readyMs: number; rss: number }[] = [];
	for (const sites of TARGET_SITES) {
		const db = await createDatabase();
		try {
			const first = await startServer(db.url, {});
			await seed(db.url, sites);
			await first.stop();
			// Cold start: a fresh process on an already-migrated database, until /readyz says ready.
			const server = await startServer(db.url, { HOST_CACHE_MAX: String(sites * 4) });
			try {
				const target: Target = (i) => ({
					path: '/',
					host: `c${1 + (i === undefined ? Math.floor(Math.random() * sites) : i % sites)}.bench.example`
				});
				await warm(server.origin, target, sites);
				const rss = rssMb(server.child);
				const row = await wrk(server.origin, { path: '/', sites });
				results.push({ sites, rps: row.rps, p99: row.p99, readyMs: server.readyMs, rss });
			} finally {
				await server.stop();
			}
		} finally {
			await db.drop();
		}
	}
	const base = results[0]!.rps;
	for (const r of results) {
		console.log(
			`${String(r.sites).padStart(6)} sites: ${r.rps.toFixed(0).padStart(7)} req/s (${(r.rps / base).toFixed(2)}× the 10-site run), p99 ${r.p99} ms, cold start to ready ${r.readyMs.toFixed(0)} ms, RSS with every home page warm ${r.rss.toFixed(0)} MB`
		);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
