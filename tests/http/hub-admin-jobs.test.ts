/**
 * The hub panel's Jobs screen: a super admin sees a failed job with its error, retries it (queued
 * again), cancels it; each action is audited on the platform feed. Anyone else gets 404 (the
 * isolation matrix covers every persona).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { database, db } from '../../src/lib/server/db';
import { newBoss } from '../../src/lib/server/jobs/queue';
import { useTestDatabase } from '../support/db';
import { createUser } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { postAdminForm } from '../support/admin-forms';

const SUPER = '111111111111111111';
const HUB = 'hub.test';

describe.runIf(inject('templateDatabase'))('hub panel: Jobs', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let superCookie: string;
	let plainCookie: string;
	let jobId: string;
	const stateOf = async () => {
		const rows = (await db().execute(sql`select state::text from pgboss.job where id = ${jobId}::uuid`)) as unknown as { state: string }[];
		return rows[0]?.state;
	};

	beforeAll(async () => {
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER } });
		superCookie = await signIn(hub, HUB, SUPER);
		plainCookie = await signIn(hub, HUB, (await createUser()).discordId!);
		// A queue no server process works, and a job of it that failed for good.
		const boss = newBoss(database(), { supervise: false, schedule: false });
		await boss.start();
		await boss.createQueue('test.broken', { retryLimit: 0 });
		jobId = (await boss.send('test.broken', { n: 1 }))!;
		const [job] = await boss.fetch('test.broken');
		await boss.fail('test.broken', job!.id, { message: 'the mail server said no' });
		await boss.stop({ graceful: false, close: false });
	}, 120_000);
	afterAll(() => hub?.stop());

	it('shows a failed job with its error to the super admin only', async () => {
		const page = await get(hub.origin, '/admin/jobs', HUB, { cookie: superCookie });
		expect(page.status).toBe(200);
		expect(page.body).toContain('test.broken');
		expect(page.body).toContain('the mail server said no');
		expect(page.body).toContain('Failed');
		expect((await get(hub.origin, '/admin/jobs', HUB, { cookie: plainCookie })).status).toBe(404);
		expect((await get(hub.origin, '/admin', HUB, { cookie: superCookie })).body).toContain('href="/admin/jobs"');
	});

	it('retries a failed job (queued again), cancels it, and audits both', async () => {
		const retry = await postAdminForm(hub.origin, '/admin/jobs?/retry', HUB, superCookie, { id: jobId });
		expect(retry.status).toBe(303);
		expect(await stateOf()).toBe('retry');
		const cancel = await postAdminForm(hub.origin, '/admin/jobs?/cancel', HUB, superCookie, { id: jobId });
		expect(cancel.status).toBe(303);
		expect(await stateOf()).toBe('cancelled');
		// Cancelling again: already finished, said so, nothing changes.
		const again = await postAdminForm(hub.origin, '/admin/jobs?/cancel', HUB, superCookie, { id: jobId });
		expect(again.status).toBe(409);
		const audit = (await db().execute(
			sql`select action from audit_event where site_id is null and target_id = ${jobId} order by id`
		)) as unknown as { action: string }[];
		expect(audit.map((a) => a.action)).toEqual(['job.retry', 'job.cancel']);
		// Not a super admin: 404, and nothing happens.
		expect((await postAdminForm(hub.origin, '/admin/jobs?/retry', HUB, plainCookie, { id: jobId })).status).toBe(404);
		expect(await stateOf()).toBe('cancelled');
	});
});
