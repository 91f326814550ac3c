/**
 * The database's health as this process last saw it: a circuit breaker. When a query fails
 * because the database cannot be reached, the circuit opens: from then on `db()` and
 * `transaction()` fail at once (code DATABASE_DOWN, answered with the plain 503 page), instead of
 * every request waiting for its own connection attempt, and the caches serve what they hold
 * (stale if need be). One probe at a time asks the database in the background; its first answer
 * closes the circuit, so the process recovers without a restart.
 */
import { log } from '../log';
import { isConnectionFailure } from '../errors';

/** The error queries get while the circuit is open (errors.ts counts it as a connection failure). */
export class DatabaseDownError extends Error {
	readonly code = 'DATABASE_DOWN';
	constructor() {
		super('The database is unreachable (circuit open; a background probe is checking it)');
		this.name = 'DatabaseDownError';
	}
}

export interface HealthOptions {
	/** Asks the database once; rejects when it does not answer. */
	probe: () => Promise<void>;
	/** Between two probes while the circuit is open. */
	probeIntervalMs: number;
	/** A probe not answered in this time counts as failed. */
	probeTimeoutMs: number;
}

let options: HealthOptions | undefined;
let downSince: number | null = null;
let timer: NodeJS.Timeout | undefined;
let probing = false;

/** Start-up (openDatabase) tells the circuit how to probe; without it the circuit never opens. */
export function configureHealth(next: HealthOptions | undefined): void {
	options = next;
	closeCircuit();
}

/** Whether the database is known to be unreachable right now. */
export function databaseDown(): boolean {
	return downSince !== null;
}

/** Throw DATABASE_DOWN while the circuit is open (what `db()` and `transaction()` call first). */
export function assertDatabaseUp(): void {
	if (downSince !== null) throw new DatabaseDownError();
}

/** Report an error seen on a query; a connection failure opens the circuit. */
export function noteDatabaseError(error: unknown): void {
	if (!options || downSince !== null || error instanceof DatabaseDownError || !isConnectionFailure(error)) return;
	downSince = Date.now();
	log.warn('database unreachable; answering 503 and serving caches until a probe succeeds', {
		code: (error as { code?: unknown })?.code ?? null
	});
	timer = setInterval(() => void probe(), options.probeIntervalMs);
	timer.unref();
	void probe();
}

async function probe(): Promise<void> {
	const o = options;
	if (!o || probing || downSince === null) return;
	probing = true;
	let timeout: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			o.probe(),
			new Promise((_, reject) => {
				timeout = setTimeout(() => reject(new Error('probe timed out')), o.probeTimeoutMs);
			})
		]);
		if (downSince !== null) log.info('database reachable again', { downMs: Date.now() - downSince });
		closeCircuit();
	} catch {
		// still down: the next interval tries again
	} finally {
		clearTimeout(timeout);
		probing = false;
	}
}

function closeCircuit(): void {
	downSince = null;
	clearInterval(timer);
	timer = undefined;
}
