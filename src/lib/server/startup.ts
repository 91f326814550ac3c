/**
 * Start-up, run once before the first request (hooks.server.ts `init`): parse the environment,
 * open the database, apply migrations under the lock, seed the demo on an empty embedded
 * database, start listening for changes, and arrange a clean shutdown.
 */
import { env, EnvError } from './env';
import { closeDatabase, openDatabase } from './db';
import { runMigrations } from './db/migrate';
import { log, setLogLevel } from './log';
import { startChangeListener, stopChangeListener } from './sites';
import { seedDemoIfEmpty } from './seed/demo';
import { bodyLimitWarning } from './media/body-limit';

let started: Promise<void> | undefined;

export function startServer(): Promise<void> {
	started ??= start();
	return started;
}

async function start(): Promise<void> {
	const t0 = performance.now();
	let e;
	try {
		e = env();
	} catch (error) {
		if (error instanceof EnvError) {
			// One line naming the variable; the server does not start.
			process.stderr.write(error.message + '\n');
			process.exit(1);
		}
		throw error;
	}
	setLogLevel(e.LOG_LEVEL);
	// adapter-node's own variable (read by the adapter, not env.ts); only `node build` applies it.
	const bodyLimit = bodyLimitWarning(process.env.BODY_SIZE_LIMIT, e.UPLOAD_MAX_BYTES);
	if (bodyLimit && e.NODE_ENV === 'production') log.warn(bodyLimit);
	const database = await openDatabase();
	if (e.RUN_MIGRATIONS) await runMigrations(database, e.DATABASE_URL);
	if (e.SEED_DEMO) {
		const seeded = await seedDemoIfEmpty();
		if (seeded.length) log.info('demo sites seeded', { sites: seeded });
	}
	await startChangeListener();
	process.once('sveltekit:shutdown', (reason) => {
		log.info('shutting down', { reason });
		void stopChangeListener().then(closeDatabase);
	});
	log.info('ready', {
		ms: Math.round(performance.now() - t0),
		database: database.kind,
		platform: e.PLATFORM_DOMAIN
	});
	if (e.SEED_DEMO) await printDemoUrls(e.PLATFORM_DOMAIN);
}

/** On the demo setup, say where to look (the port is adapter-node's PORT, 3000 by default). */
async function printDemoUrls(platformDomain: string): Promise<void> {
	const { listAllSites } = await import('./content/sites');
	const port = process.env.PORT ?? '3000';
	if (port === '0') return;
	const suffix = platformDomain === 'localhost' ? 'localhost' : platformDomain;
	const sites = await listAllSites(20);
	const lines = [
		'',
		'  Collective Hub is running. Open:',
		`    hub (landing, super admin)   http://${platformDomain}:${port}`,
		...sites.map((s) => `    ${s.name.padEnd(28).slice(0, 28)} http://${s.slug}.${suffix}:${port}`),
		''
	];
	process.stdout.write(lines.join('\n') + '\n');
}
