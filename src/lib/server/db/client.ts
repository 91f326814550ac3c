/**
 * The database connection: PostgreSQL through postgres-js when DATABASE_URL is set, otherwise the
 * embedded PGlite database in DATA_DIR. Both are driven through the same drizzle `PgDatabase`
 * type, so query modules never know which one they run on.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import * as schema from './schema';
import { countQuery } from './query-count';
import { createLimiter, limitPool } from './pool-limit';
import { log } from '../log';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Query modules accept either, so callers can group several writes in one transaction. */
export type DbOrTx = Db | Tx;

export interface Database {
	readonly kind: 'postgres' | 'pglite';
	readonly db: Db;
	/**
	 * LISTEN on `channel`. `onConnect` runs each time the listener (re)connects: notifications sent
	 * while it was disconnected are lost, so callers clear their caches there.
	 */
	listen(channel: string, onMessage: (payload: string) => void, onConnect: () => void): Promise<() => Promise<void>>;
	/** Throws when the database does not answer. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

const logger = { logQuery: () => countQuery() };

export interface PostgresOptions {
	max?: number;
	/** Seconds a connection attempt may take before failing (keeps outages from hanging requests). */
	connectTimeout?: number;
	/** Server-side limit of one statement (ms, 0: none): a slow or locked query fails, never piles up the pool. */
	statementTimeoutMs?: number;
	/** How long a query or transaction may wait for a free connection of the pool (ms; see pool-limit.ts). */
	acquireTimeoutMs?: number;
	/** A session idle inside a transaction this long is ended by the server (ms, 0: none), releasing its locks. */
	idleInTransactionTimeoutMs?: number;
	/** How often the LISTEN connection proves it still receives (ms); see `superviseListener`. */
	listenCheckMs?: number;
}

/**
 * Seconds before a closed connection may reconnect, by attempt. postgres-js's default grows to
 * 20 s with a counter the whole pool shares, so after an outage queries waited that long for a
 * database that was already back; the health circuit (health.ts) keeps requests away meanwhile,
 * so a short bounded wait is enough.
 */
export const reconnectBackoff = (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5);

export function connectPostgres(url: string, options: PostgresOptions = {}): Database {
	const max = options.max ?? 10;
	const client = postgres(url, {
		max,
		connect_timeout: options.connectTimeout ?? 5,
		idle_timeout: 60,
		backoff: reconnectBackoff,
		onnotice: () => {},
		// Startup parameters: every pooled connection carries these settings from its first query.
		connection: {
			application_name: 'collective-hub',
			...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
			...(options.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs } : {})
		}
	});
	const limited = limitPool(client, createLimiter(max, options.acquireTimeoutMs ?? 1000));
	const db = drizzlePostgres(limited, { schema, logger }) as unknown as Db;
	const listeners = new Set<() => Promise<void>>();
	let pinger: postgres.Sql | undefined;
	return {
		kind: 'postgres',
		db,
		async listen(channel, onMessage, onConnect) {
			const stop = await superviseListener(url, client, channel, onMessage, onConnect, options.listenCheckMs ?? 5_000);
			listeners.add(stop);
			return () => {
				listeners.delete(stop);
				return stop();
			};
		},
		async ping() {
			// A connection of its own: readiness and the health probe must not queue behind a pool
			// that slow queries keep busy (they are bounded by statement_timeout, the probe is not).
			pinger ??= postgres(url, {
				max: 1,
				connect_timeout: options.connectTimeout ?? 5,
				idle_timeout: 60,
				backoff: reconnectBackoff,
				onnotice: () => {},
				connection: { application_name: 'collective-hub health' }
			});
			const sql = pinger;
			let timer: NodeJS.Timeout | undefined;
			try {
				await Promise.race([
					sql`select 1`,
					new Promise((_, reject) => {
						timer = setTimeout(() => reject(Object.assign(new Error('ping timed out'), { code: 'CONNECT_TIMEOUT' })), PING_TIMEOUT_MS);
					})
				]);
			} catch (error) {
				// A connection that stopped answering (seen after a restart of the server) would make
				// every later ping queue behind it: start over with a new one.
				if (pinger === sql) pinger = undefined;
				void sql.end({ timeout: 0 }).catch(() => {});
				throw error;
			} finally {
				clearTimeout(timer);
			}
		},
		async close() {
			await Promise.all([...listeners].map((stop) => stop()));
			await Promise.all([client.end({ timeout: 5 }), pinger?.end({ timeout: 1 })]);
		}
	};
}

const PING = 'ping:';
const PING_TIMEOUT_MS = 1000;

/**
 * LISTEN on a connection of its own, and keep it listening. postgres-js re-listens by itself when
 * the connection closes (backend terminated, server restarted), though after an outage only when
 * its growing backoff allows (up to 20 s after the server is back); and a connection that hangs
 * without closing (silent network loss, a stuck backend) goes unnoticed until TCP keepalive gives
 * up, minutes later. Meanwhile this process would serve stale answers. So every `checkMs` a NOTIFY
 * carrying a token of ours goes out through the pool; when the database answers but the listener
 * has not heard it `checkMs` later, the listener is rebuilt, and `onConnect` (which clears caches)
 * runs when it listens again. Pings of other processes on the channel are dropped here, so
 * callers only ever see real messages.
 */
async function superviseListener(
	url: string,
	pool: postgres.Sql,
	channel: string,
	onMessage: (payload: string) => void,
	onConnect: () => void,
	checkMs: number
): Promise<() => Promise<void>> {
	const token = PING + randomUUID();
	let heardAt = 0;
	let stopped = false;
	let checking = false;
	let current: postgres.Sql | undefined;

	const open = async () => {
		const sub = postgres(url, {
			max: 1,
			connect_timeout: 5,
			backoff: reconnectBackoff,
			onnotice: () => {},
			// Tests (and operators) find this process's listener in pg_stat_activity by it.
			connection: { application_name: `collective-hub listener ${process.pid}` }
		});
		try {
			await sub.listen(
				channel,
				(payload) => {
					if (!payload.startsWith(PING)) onMessage(payload);
					else if (payload === token) heardAt = performance.now();
				},
				onConnect
			);
		} catch (error) {
			await sub.end({ timeout: 0 }).catch(() => {});
			throw error;
		}
		if (stopped) await sub.end({ timeout: 0 }).catch(() => {});
		else current = sub;
	};

	const check = async () => {
		if (checking || stopped) return;
		checking = true;
		try {
			const sent = performance.now();
			try {
				await pool`select pg_notify(${channel}, ${token})`;
			} catch {
				return; // the database is unreachable: nothing to learn until it is back
			}
			await new Promise((resolve) => setTimeout(resolve, checkMs).unref());
			if (stopped || heardAt >= sent) return;
			log.warn('change listener deaf; reconnecting', { channel });
			const old = current;
			current = undefined;
			await old?.end({ timeout: 0 }).catch(() => {});
			await open().catch((error) => log.warn('change listener reconnect failed', { channel, error }));
		} finally {
			checking = false;
		}
	};

	await open();
	const timer = setInterval(() => void check(), checkMs);
	timer.unref();
	return async () => {
		stopped = true;
		clearInterval(timer);
		const sub = current;
		current = undefined;
		await sub?.end({ timeout: 1 }).catch(() => {});
	};
}

export async function connectPglite(dataDir: string | undefined): Promise<Database> {
	const { PGlite } = await import('@electric-sql/pglite');
	// pg_trgm backs the hub panel's site search (migration 0001), as on a real server.
	const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
	const options = { extensions: { pg_trgm } };
	let client: PGlite;
	if (dataDir) {
		const dir = path.resolve(dataDir, 'pglite');
		mkdirSync(dir, { recursive: true });
		client = new PGlite(dir, options);
	} else {
		client = new PGlite(options);
	}
	await client.waitReady;
	const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
	return {
		kind: 'pglite',
		db,
		async listen(channel, onMessage, onConnect) {
			// In-process: the "connection" cannot drop, so onConnect runs once.
			const unsubscribe = await client.listen(channel, onMessage);
			onConnect();
			return unsubscribe;
		},
		async ping() {
			await db.execute(sql`select 1`);
		},
		async close() {
			await client.close();
		}
	};
}
