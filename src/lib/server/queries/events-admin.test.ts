/**
 * The events manager's list queries: each filter's count agrees with the rows that filter lists,
 * an event is "upcoming" until it ends, and another site's events are never counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { countEventsForAdmin, listEventsForAdmin, type AdminEventFilter } from './events';

useTestDatabase();

const HOUR = 3_600_000;
const now = new Date();

describe('admin event filters', () => {
	let A: Awaited<ReturnType<typeof f.createSite>>;

	beforeAll(async () => {
		A = await f.createSite();
		const B = await f.createSite();
		await f.createEvent(A, { title: 'next week' });
		await f.createEvent(A, { title: 'running now', startsAt: new Date(now.getTime() - HOUR), endsAt: new Date(now.getTime() + HOUR) });
		await f.createEvent(A, {
			title: 'last month',
			startsAt: new Date(now.getTime() - 30 * 24 * HOUR),
			endsAt: new Date(now.getTime() - 30 * 24 * HOUR + HOUR)
		});
		await f.createEvent(A, { title: 'draft later', status: 'draft' });
		await f.createEvent(A, { title: 'cancelled later', status: 'cancelled' });
		for (let i = 0; i < 3; i++) await f.createEvent(B, { title: `B ${i}`, status: i ? 'draft' : 'published' });
	});

	it('counts what each filter lists, for this site only', async () => {
		const counts = await countEventsForAdmin(A.id, now);
		expect(counts).toEqual({ upcoming: 4, past: 1, drafts: 1, all: 5 });
		for (const filter of ['upcoming', 'past', 'drafts', 'all'] as AdminEventFilter[]) {
			const rows = await listEventsForAdmin(A.id, filter, now);
			expect(rows.length, filter).toBe(counts[filter]);
			expect(rows.every((r) => r.siteId === A.id)).toBe(true);
		}
		expect((await listEventsForAdmin(A.id, 'upcoming', now)).map((r) => r.title)).toContain('running now');
	});

	it('counts nothing for a site without events', async () => {
		const empty = await f.createSite();
		expect(await countEventsForAdmin(empty.id, now)).toEqual({ upcoming: 0, past: 0, drafts: 0, all: 0 });
	});
});
