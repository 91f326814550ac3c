/**
 * Start-up, run once before the first request (hooks.server.ts `init`): parse the environment,
 * open the database, apply migrations under the lock, seed the demo on an empty embedded
 * database, start listening for changes, and arrange a clean shutdown.
 */
import { env, EnvError } from './env';
import { closeDatabase, openDatabase, siteScopeEnforced } from './db';
import { migrationsApplied, runMigrations } from './db/migrate';
import { log, setLogLevel } from './log';
import { startChangeListener, stopChangeListener } from './hosts';
import { verifyDiskTier } from './public-site/render-cache';
import { seedDemoIfEmpty } from './seed/demo';
import { bodyLimitWarning } from './media/body-limit';
import { isConnectionFailure } from './errors';
import { noteDatabaseError } from './db/health';
import { startJobs, stopJobs } from './jobs';
import { jobIntervals } from './jobs/intervals';
import { jobDefinitions } from './jobs/definitions';

let started: Promise<void> | undefined;
let draining = false;

let migrationsPending = false;

/**
 * True while the database lacks migrations this build ships (RUN_MIGRATIONS=false and another
 * replica or the operator has not applied them yet): pages then answer the plain 503, not a 500
 * from a missing table, and /readyz 503. Checked again every few seconds until they are there.
 */
export function awaitingMigrations(): boolean {
	return migrationsPending;
}

/** True after SIGTERM/SIGINT: /readyz answers 503 while in-flight requests finish. */
export function isDraining(): boolean {
	return draining;
}

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
	survivePoolRejections();
	// adapter-node's own variable (read by the adapter, not env.ts); only `node build` applies it.
	const bodyLimit = bodyLimitWarning(process.env.BODY_SIZE_LIMIT, e.UPLOAD_MAX_BYTES);
	if (bodyLimit && e.NODE_ENV === 'production') log.warn(bodyLimit);
	const database = await openDatabase();
	// Every role produces jobs (the write wrapper's outbox); worker and all also run them.
	const jobs = {
		role: e.ROLE,
		definitions: jobDefinitions,
		concurrency: e.JOB_CONCURRENCY,
		...jobIntervals(e.JOB_POLL_INTERVAL_MS, e.JOB_SCHEDULE_INTERVAL_SECONDS)
	};
	if (e.RUN_MIGRATIONS) await runMigrations(database, e.DATABASE_URL);
	else if (!(await migrationsApplied(database))) {
		migrationsPending = true;
		log.warn('database migrations are not applied (RUN_MIGRATIONS=false): answering 503 until they are');
		const timer = setInterval(() => {
			void migrationsApplied(database).then(async (applied) => {
				if (!applied || !migrationsPending) return;
				clearInterval(timer);
				// The queue's tables came with them: start it before serving, so pages and /readyz
				// turn ready together (startJobs is idempotent; a failure is retried below).
				await startJobs(jobs).catch(() => {});
				migrationsPending = false;
				log.info('database migrations applied; serving');
			});
		}, 2000);
		timer.unref();
	}
	// Asked once here (and remembered), not by the first request that opens a site scope.
	if (!(await siteScopeEnforced().catch(() => true))) {
		log.warn('row-level security is not enforced: the database user could not create the hub_site role (migration 0003)');
	}
	if (e.SEED_DEMO) {
		const seeded = await seedDemoIfEmpty();
		if (seeded.length) log.info('demo sites seeded', { sites: seeded });
	}
	await startChangeListener();
	if (e.ROLE !== 'worker') await verifyDiskTier();
	// Without RUN_MIGRATIONS the queue's tables may not be there yet: keep trying (/readyz says 503
	// meanwhile; the migrations check above also starts it the moment they are applied).
	await startJobs(jobs).catch((error) => {
		log.warn('job queue not started yet; retrying every 5 s', { error: String(error) });
		const retry = setInterval(() => {
			startJobs(jobs).then(
				() => clearInterval(retry),
				() => {}
			);
		}, 5000);
		retry.unref();
	});
	// adapter-node emits this once the HTTP server has closed and in-flight requests are done.
	process.once('sveltekit:shutdown', () => {
		// Jobs still running get a few seconds; one cut off is retried by another worker.
		void stopJobs(Math.max(1000, e.SHUTDOWN_DRAIN_MS))
			.catch((error) => log.warn('job queue stop failed', { error }))
			.then(stopChangeListener)
			.then(closeDatabase)
			.then(() => log.info('database closed'));
	});
	log.info('ready', {
		ms: Math.round(performance.now() - t0),
		database: database.kind,
		role: e.ROLE,
		platform: e.PLATFORM_DOMAIN
	});
	if (e.SEED_DEMO) await printDemoUrls(e.PLATFORM_DOMAIN);
	// adapter-node registers its SIGTERM/SIGINT handlers right after this init resolves; the
	// timer runs after that, and puts a drain period in front of them.
	setTimeout(() => drainBeforeShutdown(e.SHUTDOWN_DRAIN_MS), 0);
}

/**
 * adapter-node's shutdown closes the listener and every connection without an active request at
 * once, which also drops connections accepted a moment ago whose request has not been read yet.
 * So on the first signal we only drain: /readyz answers 503 (the load balancer stops sending),
 * everything keeps being served for SHUTDOWN_DRAIN_MS, then adapter-node's shutdown runs (it
 * finishes in-flight requests and emits `sveltekit:shutdown`). A second signal skips the wait.
 */
function drainBeforeShutdown(drainMs: number): void {
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		const adapterHandlers = process.listeners(signal);
		if (adapterHandlers.length === 0) continue; // vite dev: nothing to wrap
		process.removeAllListeners(signal);
		let timer: NodeJS.Timeout | undefined;
		const shutDown = () => {
			clearTimeout(timer);
			for (const handler of adapterHandlers) (handler as (s: NodeJS.Signals) => void)(signal);
		};
		process.on(signal, () => {
			if (draining) return shutDown();
			draining = true;
			log.info('shutting down', { signal, drainMs });
			timer = setTimeout(shutDown, drainMs);
		});
	}
}

/**
 * Under repeated database stops, postgres-js can still reject one of its own queries that nobody
 * awaits (CONNECTION_CLOSED from a connection's close; seen about once in a few dozen stops even
 * with the patched driver, path not found yet). Node ends the process on an unhandled rejection;
 * for a lost connection that would turn an outage of the database into one of every site, so
 * such a rejection opens the health circuit and is logged. Anything else still ends the process.
 */
function survivePoolRejections(): void {
	process.on('unhandledRejection', (reason) => {
		if (!isConnectionFailure(reason)) throw reason;
		noteDatabaseError(reason);
		log.warn('unhandled database connection error (process kept alive)', { code: (reason as { code?: unknown }).code ?? null });
	});
}

/** On the demo setup, say where to look (the port is adapter-node's PORT, 3000 by default). */
async function printDemoUrls(platformDomain: string): Promise<void> {
	const { listAllSites } = await import('./queries/sites');
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
