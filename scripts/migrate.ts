/**
 * Apply migrations and exit: `npm run db:migrate` (DATABASE_URL from the environment, or the
 * embedded database in DATA_DIR). Safe to run from several replicas at once (advisory lock).
 */
import { env, EnvError } from '../src/lib/server/env';
import { closeDatabase, openDatabase } from '../src/lib/server/db';
import { runMigrations } from '../src/lib/server/db/migrate';

try {
	const e = env();
	const database = await openDatabase();
	const t0 = performance.now();
	await runMigrations(database, e.DATABASE_URL);
	console.log(`migrations applied (${database.kind}) in ${Math.round(performance.now() - t0)} ms`);
	await closeDatabase();
} catch (error) {
	console.error(error instanceof EnvError ? error.message : error);
	process.exit(1);
}
