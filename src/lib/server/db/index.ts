/**
 * The process-wide database. Start-up (hooks.server.ts `init`) or a test calls `openDatabase` /
 * `useDatabase` once; query modules then call `db()` synchronously.
 *
 * Transactions are ambient: inside `transaction(...)`, `db()` returns that transaction, so a query
 * function called deep inside a service joins it instead of asking the pool for another
 * connection. On the embedded PGlite database (one connection) a query outside the open
 * transaction would wait for it forever; this rule makes that impossible.
 *
 * Site scope (row-level security, migration 0003): a transaction opened for one site switches to
 * the `hub_site` role and sets `app.site_id`, so the policies on every site-owned table hide other
 * sites' rows even from a query that forgot its `WHERE site_id`. Outside a site scope the owning
 * role runs, which bypasses those policies: that is how platform code (host resolution, the hub
 * panel, sign-in, migrations) reads across sites, explicitly by not entering a scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { env } from '../env';
import { connectPglite, connectPostgres, type Database, type Db, type Tx } from './client';
import { assertDatabaseUp, configureHealth, noteDatabaseError } from './health';

export type { Database, Db, DbOrTx, Tx } from './client';

let current: Database | undefined;

export function useDatabase(database: Database): void {
	current = database;
	siteRoleAvailable = undefined;
}

/** Open the database named by the environment (PGlite in DATA_DIR when DATABASE_URL is unset). */
export async function openDatabase(): Promise<Database> {
	if (current) return current;
	const e = env();
	const database = e.DATABASE_URL
		? connectPostgres(e.DATABASE_URL, {
				max: e.DATABASE_POOL_MAX,
				connectTimeout: e.DATABASE_CONNECT_TIMEOUT_MS / 1000,
				statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
				acquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
				idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS
			})
		: await connectPglite(e.DATA_DIR);
	current = database;
	// The embedded database is in-process: it cannot become unreachable, so no circuit for it.
	if (database.kind === 'postgres') configureHealth({ probe: () => database.ping(), probeIntervalMs: 500, probeTimeoutMs: 1000 });
	return database;
}

export function database(): Database {
	if (!current) throw new Error('Database not opened: call openDatabase() at start-up');
	return current;
}

interface Ambient {
	tx: Tx;
	/** The site this transaction is scoped to (row-level security), or null for platform work. */
	siteId: string | null;
	/** Run once the outermost transaction has committed (dropped if this level rolls back). */
	afterCommit: (() => void)[];
}

const ambient = new AsyncLocalStorage<Ambient>();

/** The open transaction of this async context, else the pool. */
export function db(): Db {
	const tx = ambient.getStore()?.tx as unknown as Db | undefined;
	if (tx) return tx;
	// While the database is known to be unreachable, fail at once (health.ts) rather than wait.
	assertDatabaseUp();
	return database().db;
}

/** The role row-level security applies to (migration 0003); null when the database lacks it. */
const SITE_ROLE = 'hub_site';
let siteRoleAvailable: Promise<boolean> | undefined;

/**
 * Whether site scopes can switch to the restricted role. The migration creates it when the
 * database user may create roles; without it, scopes still set `app.site_id` but the policies
 * cannot bind the owner (start-up logs a warning, see startup.ts).
 */
export function siteScopeEnforced(on: Db | Tx = db()): Promise<boolean> {
	// `on`: the transaction being opened, when asked from inside one (PGlite has one connection).
	siteRoleAvailable ??= on
		.execute(sql`select (to_regrole(${SITE_ROLE}) is not null and pg_has_role(current_user, ${SITE_ROLE}, 'USAGE')) as ok`)
		.then((r) => Boolean((r as unknown as { ok: boolean }[])[0]?.ok ?? (r as unknown as { rows: { ok: boolean }[] }).rows?.[0]?.ok))
		.catch((error) => {
			siteRoleAvailable = undefined;
			throw error;
		});
	return siteRoleAvailable;
}

async function enterScope(tx: Tx, siteId: string | null): Promise<void> {
	if (siteId === null) {
		await tx.execute(sql`select set_config('role', 'none', true), set_config('app.site_id', '', true)`);
	} else if (await siteScopeEnforced(tx)) {
		await tx.execute(sql`select set_config('role', ${SITE_ROLE}, true), set_config('app.site_id', ${siteId}, true)`);
	} else {
		await tx.execute(sql`select set_config('app.site_id', ${siteId}, true)`);
	}
}

export interface TransactionOptions {
	/** Scope the transaction to one site (row-level security); omitted: platform work, unscoped. */
	siteId?: string | null;
}

/**
 * Run `fn` in a transaction, ambient for everything it calls. Nested calls open a savepoint of
 * the outer transaction; a nested call for another scope switches scope for its own duration.
 */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
	const siteId = options.siteId ?? null;
	const outer = ambient.getStore();
	if (outer) {
		if (outer.siteId === siteId) return fn(outer.tx);
		const level: Ambient = { tx: outer.tx, siteId, afterCommit: [] };
		const result = await outer.tx.transaction(async (tx) => {
			level.tx = tx;
			await enterScope(tx, siteId);
			const value = await ambient.run(level, () => fn(tx));
			// Back to the outer scope. (A failure needs nothing: rolling back the savepoint undoes
			// the settings made inside it.)
			await enterScope(tx, outer.siteId);
			return value;
		});
		outer.afterCommit.push(...level.afterCommit);
		return result;
	}
	assertDatabaseUp();
	const level: Ambient = { tx: undefined as unknown as Tx, siteId, afterCommit: [] };
	let result: T;
	try {
		result = await database().db.transaction(async (tx) => {
			level.tx = tx;
			if (siteId !== null) await enterScope(tx, siteId);
			return ambient.run(level, () => fn(tx));
		});
	} catch (error) {
		noteDatabaseError(error);
		throw error;
	}
	for (const run of level.afterCommit) run();
	return result;
}

/**
 * Run `fn` after the current transaction commits (at once outside one). Caches of this process
 * are dropped here, so a rolled-back write never empties them (other processes hear the NOTIFY,
 * which PostgreSQL delivers on commit only).
 */
export function afterCommit(fn: () => void): void {
	const level = ambient.getStore();
	if (level) level.afterCommit.push(fn);
	else fn();
}

/** Reads of one site's data in one scoped transaction (row-level security applies). */
export function siteRead<T>(siteId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return transaction(fn, { siteId });
}

export async function closeDatabase(): Promise<void> {
	const d = current;
	current = undefined;
	siteRoleAvailable = undefined;
	configureHealth(undefined);
	await d?.close();
}
