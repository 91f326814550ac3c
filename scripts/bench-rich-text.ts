/**
 * What pre-rendered rich text saves on an uncached page render: the same database (one site with
 * a Markdown home intro, ten upcoming events with long descriptions, a long page) served with the
 * render cache off by this build and, optionally, by another build (`--base <dir>`: a checkout of
 * an earlier commit, built, with its own `build/`), then by this build again with every stored
 * HTML marked stale (so each render runs Markdown and the sanitizer, as before pre-rendering).
 * Sequential requests on loopback, mean and median per path, and each against /robots.txt (a
 * request through the same hooks with no page render) as the bare floor.
 *
 *   npx tsx scripts/bench-rich-text.ts [--requests 300] [--base ../some-old-checkout] [--paths /events.ics,/feed.xml]
 *
 * BENCH_DATABASE_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres);
 * the database is created and dropped. The machines are shared and noisy: read the ratios.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const REQUESTS = Number(opt('--requests') ?? 300);
const BASE = opt('--base');
const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOST = 'rt.bench.example';
/** `--paths /events.ics,/feed.xml`: other public paths to compare (the floor, /robots.txt, is always added). */
const PATHS = [...(opt('--paths')?.split(',') ?? ['/', '/events/event-1', '/about']).filter((p) => p !== '/robots.txt'), '/robots.txt'];

const paragraph = (i: number) =>
	`Paragraph ${i}: we show films *nobody* else shows, with **popcorn**, heckling and a [short talk](https://example.org/talk-${i}) ` +
	`before each screening. Doors open at seven; the bar stays open late, and the projector is older than most of us.`;
const longText = (paragraphs: number) =>
	[
		'## What to expect',
		...Array.from({ length: paragraphs }, (_, i) => paragraph(i)),
		'- bring a cushion\n- bring a friend\n- bring *questions*',
		'> The best worst film ever made.',
		'1. doors\n2. trailer reel\n3. the feature',
		'### Getting there',
		'Take the [U8](https://example.org/u8) to *Hermannplatz*, then walk five minutes.'
	].join('\n\n');

async function seed(url: string) {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	const [site] =
		await sql`insert into site (slug, name, tagline, timezone) values ('rt', 'Rich Text Club', 'Films', 'Europe/Berlin') returning id`;
	await sql`insert into site_domain (site_id, hostname, is_primary, verification_token, verified_at) values (${site!.id}, ${HOST}, true, 'x', now())`;
	await sql`insert into home (site_id, hero_title, intro) values (${site!.id}, 'Welcome', ${longText(3)})`;
	for (let i = 1; i <= 10; i++) {
		await sql`insert into event (site_id, slug, title, description, starts_at, ends_at, venue_name, status)
			values (${site!.id}, ${`event-${i}`}, ${`Screening ${i}`}, ${longText(4)}, now() + ${`${i} days`}::interval,
				now() + ${`${i} days 2 hours`}::interval, 'The Basement', 'published')`;
	}
	await sql`insert into page (site_id, slug, title, body, published) values (${site!.id}, 'about', 'About us', ${longText(12)}, true)`;
	await sql.end();
}

async function setStale(url: string, stale: boolean) {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	if (stale) for (const table of ['home', 'page', 'event']) await sql`update ${sql(table)} set render_version = 0`;
	await sql.end();
}

function get(origin: string, pathname: string): Promise<number> {
	const u = new URL(origin);
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: u.hostname, port: u.port, path: pathname, headers: { host: HOST } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end();
	});
}

async function serve(cwd: string, url: string) {
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
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-rt-')),
			SEED_DEMO: 'false',
			LOG_LEVEL: 'silent',
			RUN_MIGRATIONS: 'false',
			RENDER_CACHE: 'false',
			ROLE: 'web',
			AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
			SHUTDOWN_DRAIN_MS: '0'
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
	while ((await get(origin, '/').catch(() => 0)) !== 200) await new Promise((r) => setTimeout(r, 50));
	return { origin, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

async function measure(label: string, cwd: string, url: string) {
	const server = await serve(cwd, url);
	const out: Record<string, { mean: number; p50: number }> = {};
	for (const p of PATHS) {
		for (let i = 0; i < 50; i++) if ((await get(server.origin, p)) !== 200) throw new Error(`${label} ${p}: not 200`);
		const times: number[] = [];
		for (let i = 0; i < REQUESTS; i++) {
			const t0 = performance.now();
			await get(server.origin, p);
			times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		out[p] = { mean: times.reduce((a, b) => a + b, 0) / times.length, p50: times[Math.floor(times.length / 2)]! };
	}
	await server.stop();
	const floor = out['/robots.txt']!.mean;
	console.log(`\n${label}`);
	for (const p of PATHS) {
		const r = out[p]!;
		console.log(
			`  ${p.padEnd(18)} mean ${r.mean.toFixed(2).padStart(7)} ms  p50 ${r.p50.toFixed(2).padStart(7)} ms  ×${(r.mean / floor).toFixed(1)} of /robots.txt`
		);
	}
	return out;
}

const name = `bench_rt_${Date.now().toString(36)}`;
const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
await admin.end();
const u = new URL(SERVER_URL);
u.pathname = `/${name}`;
const url = u.toString();
try {
	process.env.DATABASE_URL = url;
	const { openDatabase, closeDatabase } = await import('../src/lib/server/db');
	const { runMigrations } = await import('../src/lib/server/db/migrate');
	const database = await openDatabase();
	await runMigrations(database, url);
	await seed(url);
	const { rerenderStaleTexts } = await import('../src/lib/server/services/rich-text');
	console.log(`stored HTML for ${await rerenderStaleTexts()} texts`);
	await closeDatabase();

	const results: Record<string, Record<string, { mean: number }>> = {};
	if (BASE) {
		// Both servers up at once, requests alternating between them: the machine's noise hits both alike.
		const [base, mine] = await Promise.all([serve(path.resolve(BASE), url), serve(ROOT, url)]);
		const sums = { base: {} as Record<string, number[]>, mine: {} as Record<string, number[]> };
		for (const p of PATHS) {
			for (let i = 0; i < 50; i++) await Promise.all([get(base.origin, p), get(mine.origin, p)]);
			sums.base[p] = [];
			sums.mine[p] = [];
			for (let i = 0; i < REQUESTS; i++) {
				for (const [which, server] of [
					['base', base],
					['mine', mine]
				] as const) {
					const t0 = performance.now();
					await get(server.origin, p);
					sums[which][p]!.push(performance.now() - t0);
				}
			}
		}
		await Promise.all([base.stop(), mine.stop()]);
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
		console.log(`
interleaved, base build (${BASE}) against this build (stored HTML), median ms:`);
		for (const p of PATHS) {
			const b = median(sums.base[p]!);
			const m = median(sums.mine[p]!);
			console.log(`  ${p.padEnd(18)} base ${b.toFixed(2).padStart(7)}  this ${m.toFixed(2).padStart(7)}  this/base ×${(m / b).toFixed(2)}`);
		}
		results.base = await measure(`base build (${BASE})`, path.resolve(BASE), url);
	}
	results.prerendered = await measure('this build, stored HTML', ROOT, url);
	await setStale(url, true);
	results.stale = await measure('this build, every row stale (Markdown + sanitizer on each render)', ROOT, url);
	console.log('\nuncached render, stored HTML against:');
	for (const [against, r] of Object.entries(results).filter(([k]) => k !== 'prerendered')) {
		console.log(
			`  ${against.padEnd(8)} ${PATHS.filter((p) => p !== '/robots.txt')
				.map((p) => `${p} ×${(results.prerendered![p]!.mean / r[p]!.mean).toFixed(2)}`)
				.join('  ')}`
		);
	}
} finally {
	const a = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	await a.unsafe(`drop database if exists ${name} with (force)`);
	await a.end();
}
