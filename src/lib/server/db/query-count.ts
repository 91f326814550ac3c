/**
 * Counts database queries, in total and per request (AsyncLocalStorage), so tests and the
 * benchmark can prove that a warm page view makes no query and a cold one makes few.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Counter {
	queries: number;
}

const storage = new AsyncLocalStorage<Counter>();
let total = 0;

export function countQuery(): void {
	total++;
	const counter = storage.getStore();
	if (counter) counter.queries++;
}

/** Run `fn` with a fresh per-request counter; `counter.queries` is read after it settles. */
export function withQueryCounter<T>(fn: (counter: Counter) => T): T {
	const counter: Counter = { queries: 0 };
	return storage.run(counter, () => fn(counter));
}

export function totalQueries(): number {
	return total;
}
