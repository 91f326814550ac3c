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

/**
 * Every project (unit, http, e2e) runs this setup, one after another before any test starts, in one
 * process: the first makes the template and the others are given the same one, instead of each
 * migrating its own while nothing runs. Teardowns run once every test is done; the last one drops it.
 */
const shared = globalThis as { __hubTemplate?: Promise<string | null>; __hubTemplateUsers?: number };

async function makeTemplate(): Promise<string | null> {
	const reachable = await postgresReachable();
	if (!reachable) {
		if (process.env.CI === 'true') throw new Error('CI=true but PostgreSQL is not reachable (TEST_DATABASE_URL or 127.0.0.1:5432)');
		console.warn('[tests] PostgreSQL not reachable: database tests run on PGlite instead');
		return null;
	}
	await dropStaleTestDatabases();
	const template = uniqueName('hub_tpl');
	const url = await createDatabase(template);
	await migratePostgresUrl(url);
	return template;
}

export default async function setup(project: TestProject) {
	shared.__hubTemplate ??= makeTemplate();
	const template = await shared.__hubTemplate;
	project.provide('templateDatabase', template);
	if (!template) return;
	shared.__hubTemplateUsers = (shared.__hubTemplateUsers ?? 0) + 1;
	return async () => {
		shared.__hubTemplateUsers!--;
		if (shared.__hubTemplateUsers! > 0) return;
		shared.__hubTemplate = undefined;
		await dropDatabase(template);
	};
}
