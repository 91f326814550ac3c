/**
 * The outbox: a job enqueued inside a write exists if and only if the write commits (a job of a
 * rolled-back write never runs), on PostgreSQL and on the embedded PGlite with ROLE=all (one
 * process, one connection, producing and working).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { db } from '../db';
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import { jobQueue, startJobs, stopJobs, type JobDefinition } from '.';

describe.each(databaseKinds())('outbox on %s (ROLE=all)', (kind) => {
	useTestDatabase(kind);
	const ran: string[] = [];
	const definitions = [
		{
			name: 'test.note',
			queue: { retryLimit: 0 },
			async run(data: { note: string }) {
				ran.push(data.note);
			}
		}
	] as JobDefinition<never>[];

	beforeAll(async () => {
		await startJobs({ role: 'all', definitions, pollingIntervalSeconds: 0.5 });
	});
	afterAll(() => stopJobs(1000));

	const jobRows = async (note: string) => {
		const rows = (await db().execute(sql`select state from pgboss.job where name = 'test.note' and data->>'note' = ${note}`)) as unknown as
			{ state: string }[] | { rows: { state: string }[] };
		return Array.isArray(rows) ? rows : rows.rows;
	};

	it('runs a job enqueued by a committed write, after the commit', async () => {
		const site = await f.createSite();
		await write({ siteId: site.id, actor: systemActor() }, async (w) => {
			await w.audit({ action: 'test.commit', targetType: 'site', targetId: site.id, target: site.name });
			await w.enqueue({ name: 'test.note', data: { note: `commit-${kind}` } });
		});
		await expect.poll(() => ran, { timeout: 15_000 }).toContain(`commit-${kind}`);
		// pg-boss marks the job completed just after the handler returns.
		await expect.poll(() => jobRows(`commit-${kind}`)).toEqual([{ state: 'completed' }]);
	});

	it('never runs a job enqueued by a write that rolled back, and leaves no row of it', async () => {
		const site = await f.createSite();
		await expect(
			write({ siteId: site.id, actor: systemActor() }, async (w) => {
				await w.enqueue({ name: 'test.note', data: { note: `rollback-${kind}` } });
				throw new Error('the write fails after enqueueing');
			})
		).rejects.toThrow('the write fails');
		// A later job of the same queue has run: the worker has been polling past the rolled-back one.
		await write({ siteId: site.id, actor: systemActor() }, (w) => w.enqueue({ name: 'test.note', data: { note: `after-${kind}` } }));
		await expect.poll(() => ran, { timeout: 15_000 }).toContain(`after-${kind}`);
		expect(ran).not.toContain(`rollback-${kind}`);
		expect(await jobRows(`rollback-${kind}`)).toEqual([]);
	});

	it('refuses a job it does not know', async () => {
		await expect(write({ siteId: null, actor: systemActor() }, (w) => w.enqueue({ name: 'no.such.job' }))).rejects.toThrow('Unknown job');
		expect(jobQueue()).toBeDefined();
	});
});
