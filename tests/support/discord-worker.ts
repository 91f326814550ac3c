/**
 * A jobs worker process for the Discord kill test (src/lib/server/discord/worker-kill.test.ts):
 * ROLE=worker over DATABASE_URL with the production Discord jobs, their heartbeat and retry delay
 * at pg-boss's minimum, so a worker killed mid-job is noticed in ~10 s. Run with `node --import tsx`.
 */
import { connectPostgres } from '../../src/lib/server/db/client';
import { useDatabase } from '../../src/lib/server/db';
import { startJobs, type JobDefinition } from '../../src/lib/server/jobs';
import { discordJobs } from '../../src/lib/server/discord/jobs';
import { setLogLevel } from '../../src/lib/server/log';

setLogLevel('warn');
useDatabase(connectPostgres(process.env.DATABASE_URL!, { max: 4 }));
const definitions = discordJobs.map((d) => {
	const { retryDelayMax: _max, ...queue } = d.queue ?? {};
	void _max;
	return { ...d, queue: { ...queue, retryDelay: 0, retryBackoff: false, heartbeatSeconds: 10 } };
}) as JobDefinition<never>[];
await startJobs({
	role: 'worker',
	definitions,
	pollingIntervalSeconds: 0.5,
	boss: { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 }
});
process.stdout.write('worker ready\n');
