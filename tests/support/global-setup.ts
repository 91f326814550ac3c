/**
 * Once per test run: make a migrated template database that every test file clones (cheap:
 * CREATE DATABASE ... TEMPLATE), and tell the tests its name. With CI=true a missing PostgreSQL
 * fails the run instead of falling back to PGlite.
 */
import type { TestProject } from 'vitest/node';
import { migratePostgresUrl } from '../../src/lib/server/db/migrate';
import { createDatabase, dropDatabase, dropStaleTestDatabases, postgresReachable, uniqueName } from './postgres';

declare module 'vitest' {
	export interface ProvidedContext {
		templateDatabase: string | null;
	}
}

export default async function setup(project: TestProject) {
	const reachable = await postgresReachable();
	if (!reachable) {
		if (process.env.CI === 'true') throw new Error('CI=true but PostgreSQL is not reachable (TEST_DATABASE_URL or 127.0.0.1:5432)');
		console.warn('[tests] PostgreSQL not reachable: database tests run on PGlite instead');
		project.provide('templateDatabase', null);
		return;
	}
	await dropStaleTestDatabases();
	const template = uniqueName('hub_tpl');
	const url = await createDatabase(template);
	await migratePostgresUrl(url);
	project.provide('templateDatabase', template);
	return async () => {
		await dropDatabase(template);
	};
}
