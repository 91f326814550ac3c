/**
 * Queries of the public pages' hot path built once per database handle instead of on every call.
 * Drizzle assembles the SQL text from the query builder each time a query runs, a measurable
 * share of an uncached page's CPU; a prepared query keeps that text and only fills in its
 * placeholders. Named, it is also a server-side prepared statement on each connection of the pool
 * (postgres-js parses it once per connection, not on every execution).
 *
 * The handle is `db()`'s: the pool's lives as long as the process, so its query is built once; inside
 * a transaction the query is built on that transaction (its own connection), as before.
 */
import { db, type DbOrTx } from './index';

export function preparedQuery<Q>(build: (on: DbOrTx) => Q): () => Q {
	const built = new WeakMap<DbOrTx, Q>();
	return () => {
		const on = db();
		let query = built.get(on);
		if (query === undefined) built.set(on, (query = build(on)));
		return query;
	};
}
