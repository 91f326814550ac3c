/**
 * Worker processes (ROLE=worker, tests/support/job-worker.ts) on one PostgreSQL database: a
 * worker killed in the middle of a job has that job retried by another, finished once; a
 * scheduled job runs exactly once per period. Real processes, real SIGKILL.
 *
 * Three workers, and the kill first: the one-minute cron's second period is the next minute
 * boundary whatever the tests do, so the kill runs inside that wait instead of after it, and two
 * workers are still left to compete for every tick.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase } from '../../../../tests/support/db';
import { newBoss } from './queue';
import type { Database } from '../db';

const hasPostgres = Boolean(inject('templateDatabase'));
let url: string;
let database: Database;
let drop: () => Promise<void>;
let sql: postgres.Sql;
const workers: ChildProcess[] = [];

function startWorker(): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/support/job-worker.ts')], {
		env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	workers.push(child);
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('worker ready')) resolve(child);
		});
		child.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
	});
}

type Run = { queue: string; job_id: string; what: string; pid: number; minute: string };
const runs = (queue: string) =>
	sql<Run[]>`select queue, job_id, what, pid, to_char(at, 'HH24:MI') as minute from job_run where queue = ${queue} order by id`;

describe.skipIf(!hasPostgres)('workers on one database', () => {
	beforeAll(async () => {
		const opened = await openTestDatabase('postgres');
		url = opened.url!;
		database = opened.database;
		drop = opened.drop;
		sql = postgres(url, { max: 2, onnotice: () => {} });
		await sql`create table job_run (id serial primary key, queue text, job_id text, what text, pid int, at timestamptz default now())`;
		await Promise.all([startWorker(), startWorker(), startWorker()]);
	}, 60_000);

	afterAll(async () => {
		for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
		await sql?.end({ timeout: 1 });
		await drop?.();
	});

	it('retry a job on another worker when its worker is killed mid-job, and finish it once', { timeout: 90_000 }, async () => {
		const boss = newBoss(database, { supervise: false, schedule: false });
		await boss.start();
		const id = await boss.send('test.slow', { n: 1 });
		await boss.stop({ graceful: false, close: false });
		await expect.poll(async () => (await runs('test.slow')).filter((r) => r.what === 'started').length, { timeout: 20_000 }).toBe(1);
		const [first] = await runs('test.slow');
		const victim = workers.find((w) => w.pid === first!.pid)!;
		expect(victim).toBeDefined();
		victim.kill('SIGKILL');
		// The survivor's supervisor sees the heartbeat stop (10 s) and the retry runs there, once.
		await expect.poll(async () => (await runs('test.slow')).filter((r) => r.what === 'done').length, { timeout: 45_000 }).toBe(1);
		const rows = await runs('test.slow');
		expect(rows.every((r) => r.job_id === id)).toBe(true);
		const survivor = rows.find((r) => r.what === 'done')!.pid;
		expect(survivor).not.toBe(first!.pid);
		expect(rows.map((r) => [r.what, r.pid === survivor ? 'survivor' : 'killed'])).toEqual([
			['started', 'killed'],
			['started', 'survivor'],
			['done', 'survivor']
		]);
		const [job] = await sql`select state, retry_count from pgboss.job where id = ${id!}::uuid`;
		expect(job).toMatchObject({ state: 'completed', retry_count: 1 });
	});

	it('run a scheduled job exactly once per period (one-minute cron, two periods)', { timeout: 200_000 }, async () => {
		await expect
			.poll(async () => new Set((await runs('test.tick')).map((r) => r.minute)).size, { timeout: 190_000, interval: 1000 })
			.toBeGreaterThanOrEqual(2);
		const ticks = await runs('test.tick');
		// One run per job, one job per minute, whichever worker took it.
		expect(new Set(ticks.map((r) => r.job_id)).size).toBe(ticks.length);
		expect(new Set(ticks.map((r) => r.minute)).size).toBe(ticks.length);
		const jobs = await sql`select count(*)::int as n from pgboss.job where name = 'test.tick'`;
		expect(jobs[0]!.n).toBeGreaterThanOrEqual(ticks.length);
	});
});
