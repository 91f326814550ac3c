/**
 * Where tests find PostgreSQL: TEST_DATABASE_URL, else the local server at 127.0.0.1:5432 as
 * `postgres`. Each test file gets a fresh database cloned from a template that the global setup
 * migrated once. Without a reachable server (and outside CI) tests fall back to PGlite.
 */
import postgres from 'postgres';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
	const u = new URL(ADMIN_URL);
	u.pathname = '/' + name;
	return u.toString();
}

export async function postgresReachable(): Promise<boolean> {
	const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await sql`select 1`;
		return true;
	} catch {
		return false;
	} finally {
		await sql.end({ timeout: 1 }).catch(() => {});
	}
}

/** Run one statement on the maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
export async function admin<T = unknown>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
	try {
		return await fn(sql);
	} finally {
		await sql.end({ timeout: 2 });
	}
}

export function uniqueName(prefix: string): string {
	return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function createDatabase(name: string, template?: string): Promise<string> {
	await admin((sql) =>
		template ? sql.unsafe(`create database "${name}" template "${template}"`) : sql.unsafe(`create database "${name}"`)
	);
	return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
	await admin((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
}

/** Remove databases left by runs that crashed more than an hour ago. */
export async function dropStaleTestDatabases(): Promise<void> {
	await admin(async (sql) => {
		const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname ~ '^hub_(tpl|test)_'`;
		const hourAgo = Date.now() - 3600_000;
		for (const { datname } of rows) {
			const stamp = parseInt(datname.split('_')[2] ?? '', 36);
			if (Number.isFinite(stamp) && stamp < hourAgo) {
				await sql.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
			}
		}
	});
}
