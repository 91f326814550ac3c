/**
 * Background jobs: the queue of this process, the jobs it knows, and the outbox.
 *
 * Every role starts the queue (web processes only produce: the outbox needs it); `worker` and
 * `all` also work the jobs and keep the schedules. Handlers are plain functions of the job's data;
 * a job that throws is retried with its queue's backoff, and one whose worker died (no heartbeat)
 * is given to another worker.
 */
import type { PgBoss, Job, QueueOptions, SendOptions, ConstructorOptions } from 'pg-boss';
import { database, db } from '../db';
import { log } from '../log';
import { newBoss, queueDbInTransaction } from './queue';

export interface JobDefinition<T extends object = object> {
	name: string;
	queue?: QueueOptions & { policy?: 'standard' | 'singleton' | 'stately' | 'exclusive' | 'short' };
	/** Cron expression (UTC): pg-boss files one job per occurrence, however many workers run. */
	cron?: string;
	/** Jobs of this queue one worker process runs at once. */
	concurrency?: number;
	run(data: T, job: Job<T>): Promise<unknown>;
}

export type Role = 'web' | 'worker' | 'all';

export interface StartJobsOptions {
	role: Role;
	definitions: JobDefinition<never>[];
	/** Tests: faster polling, supervision and cron passes than production needs. */
	boss?: Partial<ConstructorOptions>;
	pollingIntervalSeconds?: number;
	/** Jobs of each queue this process runs at once, unless the definition says otherwise. */
	concurrency?: number;
}

let boss: PgBoss | undefined;
let starting: Promise<PgBoss> | undefined;
const known = new Map<string, JobDefinition<never>>();

export function startJobs(options: StartJobsOptions): Promise<PgBoss> {
	starting ??= start(options).catch((error) => {
		starting = undefined;
		throw error;
	});
	return starting;
}

async function start(options: StartJobsOptions): Promise<PgBoss> {
	const works = options.role !== 'web';
	const instance = newBoss(database(), {
		supervise: works,
		schedule: works,
		instanceName: `collective-hub ${options.role} ${process.pid}`,
		...options.boss
	});
	instance.on('error', (error) => log.warn('job queue error', { error }));
	await instance.start();
	for (const definition of options.definitions) {
		known.set(definition.name, definition);
		// Idempotent (several processes start at once); later changes of the options but the
		// policy, which pg-boss fixes at creation, are applied on the next start.
		const { policy, ...settings } = definition.queue ?? {};
		await instance.createQueue(definition.name, { policy, ...settings });
		await instance.updateQueue(definition.name, settings);
	}
	if (works) {
		for (const definition of options.definitions) {
			if (definition.cron) await instance.schedule(definition.name, definition.cron, {}, { tz: 'UTC' });
			await instance.work<object>(
				definition.name,
				{
					localConcurrency: definition.concurrency ?? options.concurrency ?? 1,
					pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2
				},
				async ([job]) => {
					const t0 = performance.now();
					try {
						const result = await definition.run(job!.data as never, job as never);
						log.info('job done', { job: definition.name, id: job!.id, ms: Math.round(performance.now() - t0) });
						return result;
					} catch (error) {
						log.warn('job failed', { job: definition.name, id: job!.id, attempt: job!.retryCount, error });
						throw error;
					}
				}
			);
		}
	}
	boss = instance;
	return instance;
}

export function jobQueue(): PgBoss {
	if (!boss) throw new Error('Job queue not started: call startJobs() at start-up');
	return boss;
}

export function jobQueueStarted(): boolean {
	return boss !== undefined;
}

/**
 * Put a job in the queue inside the current transaction (the write wrapper's `enqueue`): the job
 * row is written by the same transaction as the write, so it exists if and only if the write
 * commits. Outside a transaction it is simply sent.
 */
export async function enqueueJob(name: string, data: object = {}, options: SendOptions = {}): Promise<string | null> {
	const queue = jobQueue();
	if (!known.has(name)) throw new Error(`Unknown job: ${name}`);
	return queue.send(name, data, { ...options, db: queueDbInTransaction(db()) });
}

/** Stop working (in-flight jobs get `timeoutMs` to finish; unfinished ones are retried elsewhere). */
export async function stopJobs(timeoutMs = 10_000): Promise<void> {
	const instance = boss ?? (await starting?.catch(() => undefined));
	boss = undefined;
	starting = undefined;
	known.clear();
	await instance?.stop({ graceful: true, close: false, timeout: timeoutMs });
}
