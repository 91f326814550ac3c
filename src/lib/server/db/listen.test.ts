/**
 * Change notifications between processes (Database.listen): delivered on commit only, on the
 * embedded PGlite database in-process and on PostgreSQL; after the listener's backend is killed,
 * the server goes away and comes back, or the connection hangs, the listener listens again and
 * says so (onConnect, where callers clear their caches).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { useTestDatabase } from '../../../../tests/support/db';
import { createPrivateCluster, postgresBinDir, type PrivateCluster } from '../../../../tests/support/pg-cluster';
import { connectPglite, connectPostgres, type Database } from './client';
import { database as currentDatabase, transaction, useDatabase } from './index';
import { runMigrations } from './migrate';
import { addDomain, createSite } from '../queries/sites';
import { CHANGE_CHANNEL, parseChangeMessage, type ChangeMessage } from '../changes';
import { write } from '../services/write';
import { systemActor } from '../services/actor';

/** A write through the write wrapper that publishes `message` (what services do). */
const changing = <T>(fn: () => Promise<T>, message: (result: T) => ChangeMessage) =>
	write({ siteId: null, actor: systemActor() }, async (w) => {
		const result = await fn();
		w.changed(message(result));
		return result;
	});
const newSite = (slug: string, name: string) =>
	changing(
		() => createSite({ slug, name }),
		(s) => ({ type: 'hosts', siteId: s.id, hosts: [], slugs: [s.slug] })
	);
const newDomain = (siteId: string, hostname: string) =>
	changing(
		() => addDomain(siteId, hostname, { verified: true }),
		() => ({ type: 'hosts', siteId, hosts: [hostname] })
	);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `check` holds (an assertion: it fails the test with `what` after `timeoutMs`). */
async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
	await expect.poll(check, { timeout: timeoutMs, interval: 10, message: `waiting for ${what}` }).toBe(true);
}

/** Subscribe and record what arrives. */
async function record(database: Database) {
	const messages: ChangeMessage[] = [];
	let connects = 0;
	const stop = await database.listen(
		CHANGE_CHANNEL,
		(payload) => {
			const m = parseChangeMessage(payload);
			if (m) messages.push(m);
		},
		() => connects++
	);
	return { messages, connects: () => connects, stop };
}

const tdb = useTestDatabase();

describe('on the embedded PGlite database', () => {
	let pglite: Database;
	let previous: Database;
	beforeAll(async () => {
		previous = currentDatabase();
		pglite = await connectPglite(undefined);
		await runMigrations(pglite);
		useDatabase(pglite);
	}, 60_000);
	afterAll(async () => {
		useDatabase(previous);
		await pglite?.close();
	});

	it('dispatches a change in-process, on commit only', async () => {
		const rec = await record(pglite);
		expect(rec.connects()).toBe(1);
		const s = await newSite('embedded', 'Embedded');
		await until('the site message', () => rec.messages.some((m) => m.type === 'hosts' && m.siteId === s.id));

		// Inside an open transaction nothing is delivered; on commit it is.
		rec.messages.length = 0;
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const tx = transaction(async () => {
			await newDomain(s.id, 'embedded.example');
			await held;
		});
		await sleep(100);
		expect(rec.messages).toEqual([]);
		release();
		await tx;
		await until('the domain message', () => rec.messages.some((m) => m.type === 'hosts' && m.hosts.includes('embedded.example')));

		// A rolled-back write sends nothing.
		rec.messages.length = 0;
		await transaction(async () => {
			await newDomain(s.id, 'never.example');
			throw new Error('roll back');
		}).catch(() => {});
		await sleep(100);
		expect(rec.messages).toEqual([]);
		await rec.stop();
	});
});

describe('on PostgreSQL', () => {
	it('delivers changes and listens again after its backend is terminated', async () => {
		if (!tdb.url) return; // PGlite fallback: covered above
		const database = connectPostgres(tdb.url, { max: 2, listenCheckMs: 300 });
		const admin = postgres(tdb.url, { max: 1, onnotice: () => {} });
		try {
			const rec = await record(database);
			expect(rec.connects()).toBe(1);
			const s = await newSite('listened', 'Listened');
			await until('the site message', () => rec.messages.some((m) => m.type === 'hosts' && m.siteId === s.id));

			const listenerPid = async () => {
				const rows = await admin<{ pid: number }[]>`
					select pid from pg_stat_activity
					where datname = current_database() and application_name = ${`collective-hub listener ${process.pid}`}`;
				return rows.map((r) => r.pid);
			};
			const [pid] = await listenerPid();
			expect(pid).toBeTypeOf('number');
			await admin`select pg_terminate_backend(${pid!})`;
			await until('a reconnect', () => rec.connects() === 2);
			const [again] = await listenerPid();
			expect(again).not.toBe(pid);

			rec.messages.length = 0;
			await newDomain(s.id, 'after-reconnect.example');
			await until('a message after the reconnect', () =>
				rec.messages.some((m) => m.type === 'hosts' && m.hosts.includes('after-reconnect.example'))
			);
			// Its own liveness pings never reach the caller.
			await sleep(700);
			expect(rec.messages.every((m) => m.type === 'hosts')).toBe(true);
			await rec.stop();
			for (let i = 0; i < 100 && (await listenerPid()).length > 0; i++) await sleep(20);
			expect(await listenerPid()).toEqual([]);
		} finally {
			await admin.end({ timeout: 1 });
			await database.close();
		}
	});
});

describe.runIf(postgresBinDir())('on a private PostgreSQL cluster', () => {
	let cluster: PrivateCluster;
	beforeAll(async () => {
		cluster = await createPrivateCluster();
	}, 60_000);
	afterAll(() => cluster?.destroy());

	async function notifyAll() {
		const sender = postgres(cluster.url, { max: 1, onnotice: () => {} });
		await sender`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify({ type: 'all' })})`;
		await sender.end({ timeout: 1 });
	}

	/**
	 * Notify until the listener hears one. On a loaded machine the 300 ms deafness check can replace
	 * a listener that was only slow, and a NOTIFY sent in that gap is lost by design (nothing stores
	 * it: the change counter covers it after a reconnect), so one message alone made this flaky. A
	 * listener that never listens again still fails.
	 */
	async function heardAfterNotifying(rec: Awaited<ReturnType<typeof record>>, what: string) {
		await expect
			.poll(
				async () => {
					await notifyAll();
					await sleep(100);
					return rec.messages.some((m) => m.type === 'all');
				},
				{ timeout: 10_000, interval: 200, message: `waiting for ${what}` }
			)
			.toBe(true);
	}

	it('listens again after the server was down for seconds', async () => {
		const database = connectPostgres(cluster.url, { max: 2, listenCheckMs: 300 });
		try {
			const rec = await record(database);
			cluster.stop();
			await sleep(2_500);
			cluster.start();
			await until('a reconnect after the outage', () => rec.connects() >= 2, 10_000);
			await heardAfterNotifying(rec, 'a message after the outage');
			await rec.stop();
		} finally {
			await database.close();
		}
	}, 30_000);

	it('replaces a listener whose connection hangs without closing (postgres-js alone never notices)', async () => {
		const database = connectPostgres(cluster.url, { max: 2, listenCheckMs: 300 });
		const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
		let frozen: number | undefined;
		try {
			const rec = await record(database);
			const [row] = await admin<{ pid: number }[]>`
				select pid from pg_stat_activity where application_name = ${`collective-hub listener ${process.pid}`}`;
			// A stopped backend keeps its socket open and the kernel still answers keepalives: to
			// the client this is a half-open connection, as after a silent network failure.
			frozen = row!.pid;
			process.kill(frozen, 'SIGSTOP');
			// Generous deadline: the check runs every 300 ms, but a loaded shared machine can delay it.
			await until('the hung listener to be replaced', () => rec.connects() >= 2, 15_000);
			await heardAfterNotifying(rec, 'a message on the new listener');
			await rec.stop();
		} finally {
			if (frozen) process.kill(frozen, 'SIGCONT');
			await admin.end({ timeout: 1 });
			await database.close();
		}
	}, 30_000);
});
