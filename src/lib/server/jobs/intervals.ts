/**
 * The queue's clocks from the environment (JOB_POLL_INTERVAL_MS, JOB_SCHEDULE_INTERVAL_SECONDS), in
 * a module of its own so reading them loads no database code.
 */
import type { StartJobsOptions } from './index';

/**
 * The schedule pass files a due occurrence as a job on pg-boss's own send queue, which is worked
 * every 5 s by default: never slower than the pass itself, so a shorter pass is not held up there.
 */
export function jobIntervals(pollMs: number, scheduleSeconds: number): Pick<StartJobsOptions, 'pollingIntervalSeconds' | 'boss'> {
	return {
		pollingIntervalSeconds: pollMs / 1000,
		boss: { cronMonitorIntervalSeconds: scheduleSeconds, cronWorkerIntervalSeconds: Math.min(5, scheduleSeconds) }
	};
}
