/**
 * A bounded wait for a pooled connection. postgres-js queues a query without limit when every
 * connection is busy: with a table locked for 20 s and statement_timeout at 5 s, the 400th request
 * waited 40 × 5 s. Here at most `max` queries and transactions of the application are in flight
 * (the pool's size, so postgres-js never queues them); one more waits at most `waitMs` for a slot,
 * then fails with POOL_TIMEOUT, which errors.ts counts as "overloaded": a quick 503 page, and the
 * health circuit stays closed (the database is up, only busy).
 *
 * Drizzle reaches the driver through `unsafe(...)` (queries, awaited or `.values()`) and
 * `begin(...)` (transactions; the queries inside run on the transaction's own connection). Those
 * two are limited; the job queue's and the listener's own calls (tagged templates, `reserve`)
 * are few and pass unlimited.
 */
import type postgres from 'postgres';

export class PoolTimeoutError extends Error {
	readonly code = 'POOL_TIMEOUT';
	constructor(waitMs: number) {
		super(`no database connection free within ${waitMs} ms`);
	}
}

export interface Limiter {
	run<T>(work: () => PromiseLike<T>): Promise<T>;
	readonly inFlight: number;
	readonly waiting: number;
}

export function createLimiter(max: number, waitMs: number): Limiter {
	let inFlight = 0;
	const queue: { grant: () => void; timer: NodeJS.Timeout }[] = [];
	const release = () => {
		const next = queue.shift();
		if (next) {
			clearTimeout(next.timer);
			next.grant(); // the slot passes on: inFlight stays
		} else inFlight--;
	};
	const acquire = () =>
		new Promise<void>((resolve, reject) => {
			if (inFlight < max) {
				inFlight++;
				return resolve();
			}
			const entry = {
				grant: resolve,
				timer: setTimeout(() => {
					queue.splice(queue.indexOf(entry), 1);
					reject(new PoolTimeoutError(waitMs));
				}, waitMs)
			};
			queue.push(entry);
		});
	return {
		async run(work) {
			await acquire();
			try {
				return await work();
			} finally {
				release();
			}
		},
		get inFlight() {
			return inFlight;
		},
		get waiting() {
			return queue.length;
		}
	};
}

type Sql = postgres.Sql;

/** The pool as Drizzle sees it: `unsafe` and `begin` wait for a slot (see above). */
export function limitPool(client: Sql, limiter: Limiter): Sql {
	return new Proxy(client, {
		get(target, property, receiver) {
			if (property === 'begin') {
				return (...args: unknown[]) => limiter.run(() => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args));
			}
			if (property === 'unsafe') {
				return (...args: Parameters<Sql['unsafe']>) => limitedQuery(limiter, () => target.unsafe(...args));
			}
			return Reflect.get(target, property, receiver);
		}
	});
}

/**
 * A query that starts only once it has a slot. postgres-js queries are lazy thenables (they run
 * when awaited) and Drizzle either awaits one or awaits its `.values()`; both go through here.
 */
function limitedQuery(limiter: Limiter, make: () => postgres.PendingQuery<postgres.Row[]>) {
	const run = (values: boolean) => limiter.run(async () => (values ? await make().values() : await make()));
	return {
		values: () => run(true),
		then<A, B>(onFulfilled?: (value: unknown) => A | PromiseLike<A>, onRejected?: (reason: unknown) => B | PromiseLike<B>) {
			return run(false).then(onFulfilled, onRejected);
		}
	};
}
