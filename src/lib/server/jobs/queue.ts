/**
 * The job queue: pg-boss over the project's own connection (postgres-js pool or the embedded
 * PGlite), so no second pool and no second driver. pg-boss gives claiming with `FOR UPDATE SKIP
 * LOCKED`, retries with backoff, cron schedules that fire once per slot across any number of
 * workers, and heartbeats (a worker that dies mid-job loses its claim and another retries it).
 *
 * Its tables live in their own schema (`pgboss`) and are installed by pg-boss's own versioned
 * installer, run by the migration runner under the migration lock (db/migrate.ts): start-up of
 * the web and worker processes never migrates the queue.
 */
import { PgBoss, fromDrizzle, fromPglite, type ConstructorOptions, type Db as QueueDb } from 'pg-boss';
import { sql } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import type postgres from 'postgres';
import type { Database, Db, Tx } from '../db/client';

export const QUEUE_SCHEMA = 'pgboss';

/**
 * Values as node-postgres would send them (pg-boss is written against it): postgres-js encodes a
 * parameter by the type the server inferred, and a Date bound to a text parameter is refused.
 */
function asParameter(value: unknown): unknown {
	if (value instanceof Date) return value.toISOString();
	if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) return JSON.stringify(value);
	return value;
}

/** pg-boss's statements over a postgres-js client (parameterless ones may hold several statements). */
export function postgresQueueDb(client: postgres.Sql): QueueDb {
	return {
		async executeSql(text, values) {
			let result;
			if (values?.length) result = await client.unsafe(text, values.map(asParameter) as postgres.ParameterOrJSON<never>[]);
			else {
				// Parameterless text may be a whole `BEGIN; ...; COMMIT` block: one connection of its own.
				const conn = await client.reserve();
				try {
					result = await conn.unsafe(text).simple();
				} finally {
					conn.release();
				}
			}
			// Several statements answer one result (an array of rows) per statement: their rows, in order.
			const rows = result.length > 0 && Array.isArray(result[0]) ? (result as unknown as unknown[][]).flat() : [...result];
			return { rows };
		}
	};
}

/** The adapter for whichever database is open (through drizzle's underlying client). */
export function queueDbFor(database: Database): QueueDb {
	const client = (database.db as unknown as { $client: unknown }).$client;
	return database.kind === 'postgres' ? postgresQueueDb(client as postgres.Sql) : fromPglite(client as PGlite);
}

/** Statements inside an open drizzle transaction (the outbox: the job commits with the write). */
export function queueDbInTransaction(tx: Db | Tx): QueueDb {
	return fromDrizzle(tx as never, sql as never);
}

export function newBoss(database: Database, options: Partial<ConstructorOptions> = {}): PgBoss {
	return new PgBoss({
		db: queueDbFor(database),
		schema: QUEUE_SCHEMA,
		backend: database.kind === 'pglite' ? 'pglite' : 'postgres',
		migrate: false,
		...options
	});
}

/**
 * Install or upgrade the queue's tables (pg-boss's versioned installer; a no-op when current).
 * `db` is the migration runner's connection, which holds the migration lock.
 */
export async function installQueue(db: QueueDb, kind: Database['kind']): Promise<void> {
	const boss = new PgBoss({
		db,
		schema: QUEUE_SCHEMA,
		backend: kind === 'pglite' ? 'pglite' : 'postgres',
		migrate: true,
		supervise: false,
		schedule: false,
		registerInstance: false
	});
	boss.on('error', () => {});
	await boss.start();
	await boss.stop({ graceful: false, close: false });
}
