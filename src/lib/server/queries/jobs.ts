/** The queue's jobs as the hub panel lists them (pg-boss's table, schema `pgboss`). */
import { sql } from 'drizzle-orm';
import { db } from '../db';

export interface JobRow {
	id: string;
	name: string;
	state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
	retryCount: number;
	retryLimit: number;
	createdOn: Date;
	startedOn: Date | null;
	completedOn: Date | null;
	output: unknown;
}

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : (r as { rows: T[] }).rows);

/** Queued, running and failed jobs first (newest first), then the latest finished ones. */
export async function listJobs(limit = 100): Promise<JobRow[]> {
	const result = await db().execute(sql`
		select id::text, name, state::text, retry_count as "retryCount", retry_limit as "retryLimit",
			created_on as "createdOn", started_on as "startedOn", completed_on as "completedOn", output
		from pgboss.job
		where name not like '\\_\\_%' escape '\\'
		order by (state in ('created', 'retry', 'active', 'failed')) desc, created_on desc
		limit ${limit}`);
	return rowsOf<JobRow>(result).map((r) => ({
		...r,
		createdOn: new Date(r.createdOn),
		startedOn: r.startedOn ? new Date(r.startedOn) : null,
		completedOn: r.completedOn ? new Date(r.completedOn) : null
	}));
}

export async function getJobName(id: string): Promise<string | undefined> {
	const result = await db().execute(sql`select name from pgboss.job where id = ${id}::uuid`);
	return rowsOf<{ name: string }>(result)[0]?.name;
}
