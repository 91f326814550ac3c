/**
 * `useTestDatabase()` in a test file's beforeAll: a fresh, migrated database for that file only,
 * installed as the process database (so query modules use it), dropped in afterAll.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { connectPglite, connectPostgres, type Database } from '../../src/lib/server/db/client';
import { closeDatabase, useDatabase } from '../../src/lib/server/db';
import { runMigrations } from '../../src/lib/server/db/migrate';
import { createDatabase, dropDatabase, uniqueName } from './postgres';

export interface TestDatabase {
	database: Database;
	/** Postgres URL of this file's database (null on the PGlite fallback). */
	url: string | null;
}

export type DatabaseKind = 'postgres' | 'pglite';

/** The kinds a write path is tested on: PostgreSQL when it is there, and always the embedded PGlite. */
export function databaseKinds(): DatabaseKind[] {
	return inject('templateDatabase') ? ['postgres', 'pglite'] : ['pglite'];
}

export async function openTestDatabase(kind?: DatabaseKind): Promise<TestDatabase & { drop: () => Promise<void> }> {
	const template = inject('templateDatabase');
	if (template && kind !== 'pglite') {
		const name = uniqueName('hub_test');
		const url = await createDatabase(name, template);
		// Tests fire bursts of queries at a 2-core machine busy with other files: a long acquire wait.
		const database = connectPostgres(url, { max: 5, acquireTimeoutMs: 20_000 });
		return {
			database,
			url,
			drop: async () => {
				await database.close();
				await dropDatabase(name);
			}
		};
	}
	const database = await connectPglite(undefined);
	await runMigrations(database);
	return { database, url: null, drop: () => database.close() };
}

/**
 * Register hooks that give this test file (or describe block) its own database; returns a handle
 * filled in beforeAll. `kind: 'pglite'` forces the embedded database (one connection).
 */
export function useTestDatabase(kind?: DatabaseKind): TestDatabase {
	const handle = {} as TestDatabase;
	let drop: (() => Promise<void>) | undefined;
	beforeAll(async () => {
		const opened = await openTestDatabase(kind);
		Object.assign(handle, { database: opened.database, url: opened.url });
		drop = opened.drop;
		useDatabase(opened.database);
	}, 60_000);
	afterAll(async () => {
		await closeDatabase().catch(() => {});
		await drop?.().catch(() => {});
	});
	return handle;
}
