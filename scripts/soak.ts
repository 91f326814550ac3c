/**
 * A bounded soak: mixed public and admin traffic against `node build` on a fresh PostgreSQL
 * database, on loopback, for a fixed time (default 5 minutes). Visitors read home pages, event
 * pages, feeds and 404s of every demo site; an editor signed in through the dev sign-in creates
 * events and saves the homepage through the real form actions, so the render cache is invalidated
 * all the time. At the end it prints requests, failures, 5xx, memory and open connections before
 * and after, and exits 1 on any error or on growth beyond the stated bounds.
 *
 *   npx tsx scripts/soak.ts [--minutes 5] [--no-build]
 *
 * Needs PostgreSQL (SOAK_DATABASE_URL names the server; default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const args = process.argv.slice(2);
const MINUTES = args.includes('--minutes') ? Number(args[args.indexOf('--minutes') + 1]) : 5;
const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER_URL = process.env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Allowed growth from the warm-up sample to the end (memory settles after warm-up; leaks do not). */
const MAX_RSS_GROWTH_MB = 64;
const MAX_FD_GROWTH = 20;
const SITES = ['bad-movies-theater', 'night-market', 'paper-cuts'];
const EDITOR = '100000000000000011'; // demo owner of bad-movies-theater (src/lib/server/seed/identities.ts)

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

function http(
	port: number,
	method: string,
	pathname: string,
	host: string,
	headers: Record<string, string> = {},
	body?: string
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, method, path: pathname, headers: { host, ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
			res.on('error', reject);
		});
		req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

function processStats(pid: number) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return {
		rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024,
		fds: readdirSync(`/proc/${pid}/fd`).length
	};
}

async function main(): Promise<void> {
	if (!args.includes('--no-build')) {
		const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('build failed');
	}
	const name = `soak_${Date.now().toString(36)}`;
	const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(SERVER_URL);
	url.pathname = `/${name}`;
	const child = spawn(process.execPath, ['build'], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH ?? '',
			NODE_ENV: 'development',
			NODE_OPTIONS: '--max-semi-space-size=16',
			HOST: '127.0.0.1',
			PORT: '0',
			DATABASE_URL: url.toString(),
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'soak-')),
			PLATFORM_DOMAIN: 'localhost',
			SEED_DEMO: 'true',
			DEV_LOGIN: 'true',
			LOG_LEVEL: 'error',
			AUTH_SECRET: 'soak-secret-soak-secret-soak-secret-0123456',
			AUTH_RATE_LIMIT_MAX: '100000',
			SHUTDOWN_DRAIN_MS: '0'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const port = await new Promise<number>((resolve, reject) => {
		const onData = (c: Buffer) => {
			output += c.toString();
			const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(output);
			if (m) resolve(Number(m[1]));
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output.slice(-2000)}`)));
	});
	const dbConnections = async () => Number((await admin`select count(*)::int as n from pg_stat_activity where datname = ${name}`)[0]!.n);

	try {
		// Sign in the editor through the dev sign-in (same session code as Discord).
		const host = `${SITES[0]}.localhost`;
		const signIn = await http(
			port,
			'POST',
			'/api/auth/dev/sign-in',
			host,
			{ 'content-type': 'application/x-www-form-urlencoded', origin: `http://${host}` },
			`discordId=${EDITOR}&next=%2Fadmin`
		);
		const cookie = [signIn.headers['set-cookie'] ?? []]
			.flat()
			.map((c) => c.split(';')[0])
			.join('; ');
		if (!/session_token=/.test(cookie)) throw new Error(`dev sign-in failed: ${signIn.status}`);

		const counts = { requests: 0, failures: 0, status5xx: 0, writes: 0 };
		const failures: string[] = [];
		const record = (label: string, r: Answer | null, ok: (s: number) => boolean) => {
			counts.requests++;
			if (!r || !ok(r.status)) {
				counts.failures++;
				if (r && r.status >= 500) counts.status5xx++;
				if (failures.length < 10) failures.push(`${label}: ${r ? r.status : 'no answer'}`);
			}
		};
		const visitorPaths = ['/', '/events', '/events.ics', '/feed.xml', '/sitemap.xml', '/no-such-page'];
		const visitor = async (stopAt: number, seed: number) => {
			for (let i = seed; Date.now() < stopAt; i++) {
				const site = SITES[i % SITES.length]!;
				const pathname = visitorPaths[i % visitorPaths.length]!;
				const r = await http(port, 'GET', pathname, `${site}.localhost`).catch(() => null);
				record(`GET ${site}${pathname}`, r, (s) => s === 200 || (pathname === '/no-such-page' && s === 404));
			}
		};
		let round = 0; // across warm-up and run, so every event title (and slug) is new
		const editor = async (stopAt: number) => {
			while (Date.now() < stopAt) {
				const i = round++;
				const form = new URLSearchParams(
					i % 2
						? { heroTitle: `Soak headline ${i}`, heroText: '', intro: `Round **${i}**`, showEvents: 'on', showLinks: 'on' }
						: { title: `Soak night ${i}`, status: i % 4 ? 'published' : 'draft', startDate: '2031-05-01', startTime: '20:00' }
				).toString();
				const target = i % 2 ? '/admin/homepage?/save' : '/admin/events/new?/save';
				const r = await http(
					port,
					'POST',
					target,
					host,
					{ cookie, origin: `http://${host}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
					form
				).catch(() => null);
				record(`POST ${target}`, r, (s) => s === 303);
				if (r?.status === 303) counts.writes++;
				const page = await http(port, 'GET', i % 2 ? '/admin' : '/admin/events', host, { cookie }).catch(() => null);
				record('GET admin', page, (s) => s === 200);
				await new Promise((r) => setTimeout(r, 50));
			}
		};

		// Warm-up at full load, so caches, pools, the JIT and V8's heap settle before the "before" sample.
		const warmUntil = Date.now() + 30_000;
		await Promise.all([...Array.from({ length: 8 }, (_, i) => visitor(warmUntil, i * 7)), editor(warmUntil)]);
		const before = { ...processStats(child.pid!), db: await dbConnections() };
		const started = Date.now();
		const stopAt = started + MINUTES * 60_000;
		await Promise.all([...Array.from({ length: 8 }, (_, i) => visitor(stopAt, i * 7)), editor(stopAt)]);
		// Let in-flight work and timers finish before the "after" sample.
		await new Promise((r) => setTimeout(r, 3000));
		const after = { ...processStats(child.pid!), db: await dbConnections() };

		const seconds = (Date.now() - started) / 1000;
		console.log(
			`soak: ${MINUTES} min, ${counts.requests} requests (${(counts.requests / seconds).toFixed(0)}/s), ${counts.writes} admin writes`
		);
		console.log(`failures: ${counts.failures}, 5xx: ${counts.status5xx}${failures.length ? `\n  ${failures.join('\n  ')}` : ''}`);
		console.log(`memory (RSS): ${before.rssMb.toFixed(0)} MB after warm-up → ${after.rssMb.toFixed(0)} MB at the end`);
		console.log(`open file descriptors (sockets included): ${before.fds} → ${after.fds}`);
		console.log(`database connections: ${before.db} → ${after.db}`);
		const leaks = [
			after.rssMb - before.rssMb > MAX_RSS_GROWTH_MB
				? `RSS grew ${(after.rssMb - before.rssMb).toFixed(0)} MB (bound ${MAX_RSS_GROWTH_MB})`
				: null,
			after.fds - before.fds > MAX_FD_GROWTH ? `file descriptors grew by ${after.fds - before.fds} (bound ${MAX_FD_GROWTH})` : null,
			after.db > before.db ? `database connections grew ${before.db} → ${after.db}` : null
		].filter(Boolean);
		console.log(`leaks found: ${leaks.length}${leaks.length ? `\n  ${leaks.join('\n  ')}` : ''}`);
		process.exitCode = counts.failures || leaks.length ? 1 : 0;
	} finally {
		child.kill('SIGTERM');
		await new Promise((r) => child.once('exit', r));
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
