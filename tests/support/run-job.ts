/**
 * File one job now, as its cron would at the next minute, for the server under test to run: a
 * test of what a scheduled job does then waits for the worker's poll (seconds), not for the clock.
 */
import { database } from '../../src/lib/server/db';
import { newBoss } from '../../src/lib/server/jobs/queue';

export async function fileJobNow(name: string, data: object = {}): Promise<void> {
	const boss = newBoss(database(), { supervise: false, schedule: false });
	await boss.start();
	try {
		await boss.send(name, data);
	} finally {
		await boss.stop({ graceful: false, close: false });
	}
}
