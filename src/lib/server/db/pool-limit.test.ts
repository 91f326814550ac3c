/**
 * The bounded wait for a pooled connection, on a real PostgreSQL: with every connection stuck
 * behind a lock, one more query fails within the acquire wait (a 503 for its request, the circuit
 * untouched) instead of queueing behind the statement timeouts; queries, `.values()` reads and
 * transactions all pass through it, and once the lock is gone everything answers again.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { useTestDatabase } from '../../../../tests/support/db';
import { isConnectionFailure, isDatabaseUnavailable } from '../errors';
import { connectPostgres, type Database } from './client';
import { site } from './schema';
import { createLimiter } from './pool-limit';

describe('createLimiter', () => {
	it('runs at most max at once, hands a freed slot to the next in line, and refuses after the wait', async () => {
		const limiter = createLimiter(2, 100);
		const gates: (() => void)[] = [];
		const hold = () => limiter.run(() => new Promise<void>((resolve) => gates.push(resolve)));
		const a = hold();
		const b = hold();
		const c = hold();
		await Promise.resolve();
		expect([limiter.inFlight, limiter.waiting]).toEqual([2, 1]);
		gates.shift()!();
		await a;
		await expect.poll(() => gates.length).toBe(2); // c got a's slot
		expect([limiter.inFlight, limiter.waiting]).toEqual([2, 0]);
		const started = performance.now();
		await expect(limiter.run(async () => 'never')).rejects.toMatchObject({ code: 'POOL_TIMEOUT' });
		expect(performance.now() - started).toBeLessThan(1000);
		gates.forEach((open) => open());
		await Promise.all([b, c]);
		expect([limiter.inFlight, limiter.waiting]).toEqual([0, 0]);
	});
});

describe.runIf(inject('templateDatabase'))('a pool whose connections are all stuck', () => {
	const tdb = useTestDatabase('postgres');
	let pool: Database;
	let locker: postgres.Sql;
	let unlock: () => void;
	let locked: Promise<unknown>;

	beforeAll(async () => {
		pool = connectPostgres(tdb.url!, { max: 2, acquireTimeoutMs: 200, statementTimeoutMs: 4000 });
		locker = postgres(tdb.url!, { max: 1, onnotice: () => {} });
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		unlock = release;
		let taken!: () => void;
		const isTaken = new Promise<void>((resolve) => (taken = resolve));
		locked = locker.begin(async (tx) => {
			await tx`lock table site in access exclusive mode`;
			taken();
			await gate;
		});
		await isTaken;
	});
	afterAll(async () => {
		unlock?.();
		await locked?.catch(() => {});
		await Promise.all([pool?.close(), locker?.end({ timeout: 1 })]);
	});

	it('one more query fails within the wait as "unavailable", not as a lost connection; then all answer', async () => {
		const stuck = [pool.db.select().from(site), pool.db.transaction((tx) => tx.select().from(site))];
		stuck.forEach((p) => p.catch(() => {}));
		await new Promise((resolve) => setTimeout(resolve, 100));
		const started = performance.now();
		const error = await pool.db
			.execute(sql`select 1`)
			.then(() => null)
			.catch((e: unknown) => e);
		const waited = performance.now() - started;
		expect(error).toMatchObject({ cause: { code: 'POOL_TIMEOUT' } }); // Drizzle wraps the driver's error
		expect(isDatabaseUnavailable(error)).toBe(true);
		expect(isConnectionFailure(error)).toBe(false);
		expect(waited).toBeGreaterThanOrEqual(150);
		expect(waited).toBeLessThan(1000);
		unlock();
		await Promise.all(stuck);
		expect(await pool.db.select().from(site)).toEqual([]);
		expect(await pool.db.transaction((tx) => tx.execute(sql`select 2 as n`))).toEqual([{ n: 2 }]);
	});
});
