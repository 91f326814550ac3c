/**
 * Throughput and latency of the public site at many sites, render cache on and off, against a raw
 * `node:http` server on the same machine as the ceiling. Loopback only, bounded in time.
 *
 *   npx tsx scripts/bench.ts [--sites 1000] [--duration 5] [--connections 32] [--no-build]
 *   npx tsx scripts/bench.ts --targets       # also: 10 vs 1,000 vs 10,000 sites, cold start, memory
 *   npx tsx scripts/bench.ts --targets-only  # only those
 *
 * NODE_OPTIONS for the servers come from BENCH_NODE_OPTIONS (default `--max-semi-space-size=16`;
 * the Dockerfile sets none, so `BENCH_NODE_OPTIONS=` measures what the image runs), to compare V8 settings.
 *
 * It builds the app, creates a fresh PostgreSQL database (BENCH_DATABASE_URL names the server,
 * default postgres://postgres@127.0.0.1:5432/postgres; the database is dropped at the end), seeds
 * N sites with 2 custom domains and ~20 events each in a few bulk statements, starts `node build`
 * twice on that database (RENDER_CACHE on and off), and drives each scenario with autocannon.
 * Queries per request come from the server's own counter (x-db-queries), sampled after each run.
 * The machines are shared and noisy: read the ratios, not the absolute numbers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import postgres from 'postgres';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const SITES = flag('--sites', 1000);
const DURATION = flag('--duration', 5);
const CONNECTIONS = flag('--connections', 32);
const TARGETS_ONLY = args.includes('--targets-only');
const TARGETS = TARGETS_ONLY || args.includes('--targets');
const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
	const name = `bench_${Date.now().toString(36)}`;
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
	await sql`
		insert into home (site_id, hero_title, intro)
		select id, name, 'We show films nobody else shows, **every week**.' from site`;
	await sql`
		insert into event (site_id, slug, title, description, starts_at, ends_at, venue_name, status)
		select s.id, 'event-' || e, 'Screening number ' || e, 'A *night* of cinema, number ' || e || '.',
			now() + (e - 5) * interval '3 days' + interval '19 hours',
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

async function startServer(url: string, extra: Record<string, string>): Promise<Server & { readyMs: number }> {
	const started = performance.now();
	const child = spawn(process.execPath, ['build'], {
		cwd: ROOT,
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
			NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '--max-semi-space-size=16',
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
		const r = await get(origin, '/readyz', 'hub.bench.example').catch(() => null);
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
				child.once('exit', () => resolve());
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
const DISTINCT: Record<string, number> = { home: SITES, event: SITES * EVENTS, ics: SITES, unknownHost: 1000 };

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

async function load(name: string, origin: string, target: Target | null, measureQueries = true): Promise<Row> {
	const u = new URL(origin);
	const result = await autocannon({
		url: origin,
		connections: CONNECTIONS,
		duration: DURATION,
		requests: [
			{
				setupRequest: (req: { path: string; headers: Record<string, string> }) => {
					if (!target) return req;
					const t = target();
					return { ...req, path: t.path, headers: { ...req.headers, host: t.host } };
				}
			}
		],
		// Like a browser: the render cache keeps pages gzipped and sends them as they are.
		headers: { host: u.host, 'accept-encoding': 'gzip, deflate, br' }
	});
	const queries = target && measureQueries ? await queriesPerRequest(origin, target) : null;
	return {
		name,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		errors: result.errors + result.timeouts + result.non2xx - (name.startsWith('404') ? result.non2xx : 0),
		queries
	};
}

async function rawNode(): Promise<{ origin: string; close: () => void }> {
	const server = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('hello\n');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function rssMb(child: ChildProcess): number {
	const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function printTable(rows: Row[], raw: Row, off: Record<string, Row>): void {
	const pad = (s: string, n: number) => s.padEnd(n);
	const num = (n: number, d = 0) => n.toFixed(d).padStart(9);
	console.log(
		`\n${pad('scenario', 26)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)}${'q/req'.padStart(9)}  ratios`
	);
	for (const r of [...rows, raw]) {
		const ratios = [`${(r.rps / raw.rps).toFixed(3)}× raw node`];
		const base = r.name.replace(' (cache on)', '');
		if (r.name.endsWith('(cache on)') && off[base]) ratios.push(`${(r.rps / off[base]!.rps).toFixed(2)}× cache off`);
		console.log(
			`${pad(r.name, 26)}${num(r.rps)}${num(r.p50, 1)}${num(r.p99, 1)}${num(r.errors)}${r.queries === null ? '        —' : num(r.queries, 2)}  ${ratios.join(', ')}`
		);
	}
}

async function main(): Promise<void> {
	if (!args.includes('--no-build')) {
		console.log('building…');
		const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('build failed');
	}
	if (TARGETS_ONLY) return targets();
	const db = await createDatabase();
	const servers: Server[] = [];
	try {
		const on = await startServer(db.url, { RENDER_CACHE: 'true' });
		servers.push(on);
		console.log(`server ready in ${on.readyMs.toFixed(0)} ms (migrations included), idle RSS ${rssMb(on.child).toFixed(0)} MB`);
		const seedStarted = performance.now();
		await seed(db.url, SITES);
		console.log(
			`seeded ${SITES} sites (${SITES * 2} domains, ${SITES * 20} events) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`
		);
		const off = await startServer(db.url, { RENDER_CACHE: 'false', RUN_MIGRATIONS: 'false' });
		servers.push(off);

		const rows: Row[] = [];
		const offRows: Record<string, Row> = {};
		for (const [name, target] of Object.entries(SCENARIOS)) {
			if (name === 'unknownHost') continue;
			await warm(on.origin, target, DISTINCT[name]!);
			rows.push(await load(`${name} (cache on)`, on.origin, target));
			// Cache off: warm the host resolution and the database's own caches only.
			await warm(off.origin, target, Math.min(DISTINCT[name]!, 2000));
			const r = await load(`${name} (cache off)`, off.origin, target);
			offRows[name] = r;
			rows.push(r);
		}
		rows.push(await load('404 unknown host', on.origin, SCENARIOS.unknownHost!));
		const raw = await rawNode();
		const rawRow = await load('raw node:http hello', raw.origin, null);
		raw.close();
		printTable(rows, rawRow, offRows);
		console.log(`\nresident memory after the runs: cache on ${rssMb(on.child).toFixed(0)} MB, cache off ${rssMb(off.child).toFixed(0)} MB`);
		await Promise.all(servers.splice(0).map((s) => s.stop()));

		if (TARGETS) await targets();
	} finally {
		await Promise.all(servers.map((s) => s.stop()));
		await db.drop();
	}
}

/** The targets: flat in the number of sites, cold start, memory with 10,000 sites warm. */
async function targets(): Promise<void> {
	console.log('\n--targets: home page, cache on, at 10 / 1,000 / 10,000 sites');
	const results: { sites: number; rps: number; p99: number; readyMs: number; rss: number }[] = [];
	for (const sites of [10, 1000, 10000]) {
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
				const row = await load(`home @ ${sites} sites`, server.origin, target, false);
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
