/**
 * The hourly clean-up: expired invitations, verification (hand-back) rows and slug redirects,
 * stale rate-limit counters and audit rows past the retention go; everything still in use stays.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { db } from '../db';
import { auditEvent, invitation, rateLimit, siteSlugRedirect, verification } from '../db/schema';
import { cleanUpExpiredRows } from './cleanups';

useTestDatabase();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const count = async (table: string, where = 'true') => {
	const r = (await db().execute(sql.raw(`select count(*)::int as n from "${table}" where ${where}`))) as unknown as
		{ n: number }[] | { rows: { n: number }[] };
	return (Array.isArray(r) ? r : r.rows)[0]!.n;
};

describe('cleanUpExpiredRows', () => {
	it('deletes what has expired and keeps what is still in use', async () => {
		const now = new Date();
		const site = await f.createSite();
		const past = new Date(now.getTime() - HOUR);
		const future = new Date(now.getTime() + DAY);
		await db()
			.insert(invitation)
			.values([
				{ siteId: site.id, role: 'editor', tokenHash: 'old', expiresAt: past },
				{ siteId: site.id, role: 'editor', tokenHash: 'live', expiresAt: future }
			]);
		await db()
			.insert(verification)
			.values([
				{ id: 'v-old', identifier: 'hand-back', value: 'x', expiresAt: past },
				{ id: 'v-live', identifier: 'hand-back', value: 'y', expiresAt: future }
			]);
		await db()
			.insert(siteSlugRedirect)
			.values([
				{ oldSlug: 'gone-slug', siteId: site.id, expiresAt: past },
				{ oldSlug: 'kept-slug', siteId: site.id, expiresAt: future }
			]);
		await db()
			.insert(rateLimit)
			.values([
				{ id: 'r-old', key: 'ip-old', count: 3, lastRequest: now.getTime() - 2 * HOUR },
				{ id: 'r-live', key: 'ip-live', count: 3, lastRequest: now.getTime() - 1000 }
			]);
		await db()
			.insert(auditEvent)
			.values([
				{ siteId: site.id, action: 'test.ancient', at: new Date(now.getTime() - 40 * DAY) },
				{ siteId: null, action: 'test.ancient', at: new Date(now.getTime() - 40 * DAY) },
				{ siteId: site.id, action: 'test.recent', at: new Date(now.getTime() - 5 * DAY) }
			]);

		const report = await cleanUpExpiredRows({ now, auditRetentionDays: 30 });
		expect(report).toEqual({ invitations: 1, verifications: 1, slugRedirects: 1, rateLimits: 1, auditRows: 2 });
		expect(await count('invitation', `token_hash = 'live'`)).toBe(1);
		expect(await count('verification', `id = 'v-live'`)).toBe(1);
		expect(await count('site_slug_redirect')).toBe(1);
		expect(await count('rate_limit')).toBe(1);
		expect(await count('audit_event', `action = 'test.ancient'`)).toBe(0);
		expect(await count('audit_event', `action = 'test.recent'`)).toBe(1);
		// Nothing left to do the second time.
		expect(await cleanUpExpiredRows({ now, auditRetentionDays: 30 })).toEqual({
			invitations: 0,
			verifications: 0,
			slugRedirects: 0,
			rateLimits: 0,
			auditRows: 0
		});
	});
});
