/**
 * The process-wide database. Start-up (hooks.server.ts `init`) or a test calls `openDatabase` /
 * `useDatabase` once; query modules then call `db()` synchronously.
 */
import { env } from '../env';
import { connectPglite, connectPostgres, type Database, type Db } from './client';

export type { Database, Db, DbOrTx, Tx } from './client';

let current: Database | undefined;

export function useDatabase(database: Database): void {
	current = database;
}

/** Open the database named by the environment (PGlite in DATA_DIR when DATABASE_URL is unset). */
export async function openDatabase(): Promise<Database> {
	if (current) return current;
	const e = env();
	const database = e.DATABASE_URL ? connectPostgres(e.DATABASE_URL, { max: e.DATABASE_POOL_MAX }) : await connectPglite(e.DATA_DIR);
	current = database;
	return database;
}

export function database(): Database {
	if (!current) throw new Error('Database not opened: call openDatabase() at start-up');
	return current;
}

export function db(): Db {
	return database().db;
}

export async function closeDatabase(): Promise<void> {
	const d = current;
	current = undefined;
	await d?.close();
}
