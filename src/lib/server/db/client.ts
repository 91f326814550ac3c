/**
 * The database connection: PostgreSQL through postgres-js when DATABASE_URL is set, otherwise the
 * embedded PGlite database in DATA_DIR. Both are driven through the same drizzle `PgDatabase`
 * type, so query modules never know which one they run on.
 */
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
	/** Seconds a query may wait for a connection before failing (keeps outages from hanging requests). */
	connectTimeout?: number;
}

export function connectPostgres(url: string, options: PostgresOptions = {}): Database {
	const client = postgres(url, {
		max: options.max ?? 10,
		connect_timeout: options.connectTimeout ?? 5,
		idle_timeout: 60,
		onnotice: () => {},
	});
	const db = drizzlePostgres(client, { schema, logger }) as unknown as Db;
	let listenClient: postgres.Sql | undefined;
	return {
		kind: 'postgres',
		db,
		async listen(channel, onMessage, onConnect) {
			// A connection of its own: postgres-js reconnects it and calls onlisten again after a drop.
			listenClient ??= postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
			const sub = await listenClient.listen(channel, (payload) => onMessage(payload), onConnect);
			return () => sub.unlisten();
		},
		async ping() {
			await db.execute(sql`select 1`);
		},
		async close() {
			await Promise.all([client.end({ timeout: 5 }), listenClient?.end({ timeout: 1 })]);
		}
	};
}

export async function connectPglite(dataDir: string | undefined): Promise<Database> {
	const { PGlite } = await import('@electric-sql/pglite');
	let client: PGlite;
	if (dataDir) {
		const dir = path.resolve(dataDir, 'pglite');
		mkdirSync(dir, { recursive: true });
		client = new PGlite(dir);
	} else {
		client = new PGlite();
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
