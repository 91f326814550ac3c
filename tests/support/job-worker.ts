/**
 * A worker process for the two-worker tests (src/lib/server/jobs/workers.test.ts): ROLE=worker
 * over DATABASE_URL, with test jobs that write what they did into `job_run`, and pg-boss's
 * passes (cron, supervision) sped up. Run with `node --import tsx`.
 */
import postgres from 'postgres';
import { connectPostgres } from '../../src/lib/server/db/client';
import { useDatabase } from '../../src/lib/server/db';
import { startJobs, type JobDefinition } from '../../src/lib/server/jobs';
import { setLogLevel } from '../../src/lib/server/log';

const url = process.env.DATABASE_URL!;
setLogLevel('warn');
const database = connectPostgres(url, { max: 4 });
useDatabase(database);
const sql = postgres(url, { max: 1, onnotice: () => {} });
const record = (queue: string, jobId: string, what: string) =>
	sql`insert into job_run (queue, job_id, what, pid) values (${queue}, ${jobId}, ${what}, ${process.pid})`;

const definitions: JobDefinition<never>[] = [
	{
		name: 'test.tick',
		cron: '* * * * *',
		queue: { policy: 'singleton', retryLimit: 2 },
		async run(_data, job) {
			await record('test.tick', job.id, 'done');
		}
	},
	{
		name: 'test.slow',
		// The minimum pg-boss allows: a worker silent this long is taken for dead.
		queue: { retryLimit: 3, retryDelay: 0, heartbeatSeconds: 10, expireInSeconds: 120 },
		async run(_data, job) {
			await record('test.slow', job.id, 'started');
			// The first attempt takes long enough to be killed in the middle of it; a retry is quick.
			await new Promise((resolve) => setTimeout(resolve, job.retryCount === 0 ? 60_000 : 300));
			await record('test.slow', job.id, 'done');
		}
	}
] as JobDefinition<never>[];

await startJobs({
	role: 'worker',
	definitions,
	pollingIntervalSeconds: 0.5,
	boss: { cronWorkerIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 }
});
process.stdout.write('worker ready\n');
