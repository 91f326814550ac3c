/**
 * The hub panel's Jobs screen (super admins only): what the queue holds, a failed job's error,
 * and retry / cancel. Each action is audited on the platform feed, in the same transaction.
 */
import { z } from 'zod';
import { AppError, notFound } from '../errors';
import { requireId } from '../ids';
import { parseInput } from '../input';
import { jobQueue } from '../jobs';
import { queueDbInTransaction } from '../jobs/queue';
import { db } from '../db';
import { getJobName, listJobs } from '../queries/jobs';
import { auditActor, type PlatformActor } from './actor';
import { write } from './write';
import { m } from '../../paraglide/messages';

export interface JobView {
	id: string;
	name: string;
	state: string;
	/** This run's number (1 for the first) and how many runs the queue allows. */
	attempt: number;
	attemptLimit: number;
	createdAt: string;
	startedAt: string | null;
	finishedAt: string | null;
	/** A failed (or retrying) job's error message. */
	error: string | null;
	canRetry: boolean;
	canCancel: boolean;
}

function requireSuper(actor: PlatformActor): void {
	if (!actor.isSuperAdmin) throw new AppError('forbidden', m.hub_error_super_admin_only());
}

function errorOf(output: unknown): string | null {
	if (!output || typeof output !== 'object') return null;
	const message = (output as { message?: unknown }).message;
	return typeof message === 'string' ? message.slice(0, 500) : null;
}

export async function listJobsForAdmin(actor: PlatformActor): Promise<JobView[]> {
	requireSuper(actor);
	return (await listJobs(100)).map((j) => ({
		id: j.id,
		name: j.name,
		state: j.state,
		attempt: j.retryCount + 1,
		attemptLimit: j.retryLimit + 1,
		createdAt: j.createdOn.toISOString(),
		startedAt: j.startedOn?.toISOString() ?? null,
		finishedAt: j.completedOn?.toISOString() ?? null,
		error: j.state === 'failed' || j.state === 'retry' ? errorOf(j.output) : null,
		canRetry: j.state === 'failed' || j.state === 'cancelled',
		canCancel: j.state === 'created' || j.state === 'retry' || j.state === 'active'
	}));
}

const idInput = z.object({ id: z.unknown() });

async function act(actor: PlatformActor, input: unknown, what: 'retry' | 'cancel'): Promise<void> {
	requireSuper(actor);
	const id = requireId(parseInput(idInput, input).id);
	await write({ siteId: null, actor: auditActor(actor) }, async (w) => {
		const name = await getJobName(id);
		if (!name) throw notFound();
		const options = { db: queueDbInTransaction(db()) };
		const result = what === 'retry' ? await jobQueue().retry(name, id, options) : await jobQueue().cancel(name, id, options);
		// pg-boss types the answer as {}; it carries how many jobs the command changed.
		if (!(result as { affected?: number }).affected)
			throw new AppError('conflict', what === 'retry' ? m.hub_error_job_not_retryable() : m.hub_error_job_finished());
		await w.audit({ action: `job.${what}`, targetType: 'job', targetId: id, target: name });
	});
}

export const retryJob = (actor: PlatformActor, input: unknown) => act(actor, input, 'retry');
export const cancelJob = (actor: PlatformActor, input: unknown) => act(actor, input, 'cancel');
