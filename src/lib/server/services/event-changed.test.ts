/**
 * The one fan-out of event changes (event-changed.ts), on PostgreSQL and on PGlite: whatever path
 * changes an event (the editor, scheduled publishing, a series save, split or delete, the horizon
 * extension), the same jobs land in the outbox: Discord's sync, fediverse deliveries to the site's
 * followers, cancellation notices. This process only produces (ROLE=web): the queued jobs are
 * what is checked; the Discord and mail tests run the worker end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { useTestEnv } from '../../../../tests/support/env';
import { db, siteRead } from '../db';
import { startJobs, stopJobs, type JobDefinition } from '../jobs';
import { jobDefinitions } from '../jobs/definitions';
import { useMailServer } from '../mail/transport';
import { upsertFollower } from '../queries/fediverse';
import { listOccurrences } from '../queries/events';
import { localDateTimeInput } from '../../time';
import type { SiteActor } from './actor';
import { saveEvent, setEventCancelled } from './events';
import { deleteSeries, extendSeriesAhead, saveSeries } from './series';
import { announceDatesEnteringWindow, FEDIVERSE_WINDOW_DAYS } from './event-changed';
import { publishDueContent } from './scheduled-publishing';
import { setSiteStatus } from './sites';
import { write } from './write';
import { systemActor } from './actor';

const rowsOf = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => {
	const r = (await db().execute(query)) as unknown as T[] | { rows: T[] };
	return Array.isArray(r) ? r : r.rows;
};

/** The fediverse activities queued for a site: type and the object's id (the event). */
const deliveries = (siteId: string) =>
	rowsOf<{ type: string; object: string }>(
		sql`select data->'activity'->>'type' as type,
		           coalesce(data->'activity'->'object'->>'id', data->'activity'->>'object') as object
		    from pgboss.job where name = 'fediverse.deliver' and data->>'siteId' = ${siteId} order by created_on`
	);
const jobsNamed = (name: string, siteId: string) =>
	rowsOf<{ data: Record<string, string> }>(sql`select data from pgboss.job where name = ${name} and data->>'siteId' = ${siteId}`);

useTestEnv({ FEDERATION_KEY: 'event-changed-test-key-0123456789-abcdef', PLATFORM_DOMAIN: 'hub.test', PUBLIC_SCHEME: 'http' });
// Mail on (nothing is sent: this process only produces).
beforeAll(() => useMailServer({ url: 'smtp://127.0.0.1:9', from: 'hub@mail.test' }));
afterAll(() => useMailServer(null));

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const weekdayOf = (date: string) => ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7]!;

for (const kind of databaseKinds()) {
	describe(`event changes fan out on ${kind}`, () => {
		useTestDatabase(kind);
		let editor: SiteActor;
		let site: Awaited<ReturnType<typeof f.createSite>>;

		beforeAll(async () => {
			const definitions = jobDefinitions.map((d) => ({ ...d, cron: undefined })) as JobDefinition<never>[];
			await startJobs({ role: 'web', definitions });
			site = await f.createSite({ slug: `fan-${kind}`, timezone: 'Europe/Berlin' });
			editor = await f.actorOn(site, await f.createMember(site, 'editor'), 'editor');
			await write({ siteId: site.id, actor: systemActor() }, () =>
				upsertFollower(site.id, {
					actorUri: 'https://social.example/users/ada',
					handle: '@ada@social.example',
					inbox: 'https://social.example/users/ada/inbox',
					sharedInbox: 'https://social.example/inbox'
				})
			);
		}, 60_000);
		afterAll(() => stopJobs(1000));

		it('an event that goes public by its scheduled time is federated (Discord: discord.test.ts)', async () => {
			const at = localDateTimeInput(new Date(Date.now() + 5 * 60_000), 'Europe/Berlin');
			const draft = await saveEvent(editor, null, {
				title: 'Later',
				startDate: day(10),
				startTime: '19:00',
				intent: 'schedule',
				publishAt: at
			});
			expect((await deliveries(site.id)).filter((d) => d.object.endsWith(draft.id))).toEqual([]);
			expect((await publishDueContent(new Date(Date.now() + 10 * 60_000))).events).toEqual([draft.id]);
			expect((await deliveries(site.id)).filter((d) => d.object.endsWith(draft.id)).map((d) => d.type)).toEqual(['Create']);
		});

		it('a published series federates its dates still to come: materialised, changed, cancelled, deleted', async () => {
			const first = day(-14);
			const form = (title: string, extra: Record<string, unknown> = {}) => ({
				title,
				startDate: first,
				startTime: '19:00',
				repeat: 'weekly',
				repeatWeekdays: weekdayOf(first),
				repeatEnds: 'count',
				repeatCount: '6',
				intent: 'publish',
				...extra
			});
			const before = (await deliveries(site.id)).length;
			const series = await saveSeries(editor, null, form('Weekly club'));
			const dates = await siteRead(site.id, () => listOccurrences(site.id, series.id));
			expect(dates).toHaveLength(6);
			const upcoming = dates.filter((d) => d.startsAt >= new Date());
			const past = dates.filter((d) => d.startsAt < new Date());
			expect(past.length).toBeGreaterThanOrEqual(2);
			let queued = (await deliveries(site.id)).slice(before);
			// One Create per date still to come (one shared inbox), none for the dates gone by.
			expect(queued.map((d) => d.type)).toEqual(upcoming.map(() => 'Create'));
			expect(new Set(queued.map((d) => d.object.split('/').pop()))).toEqual(new Set(upcoming.map((d) => d.id)));

			// Saved again unchanged: nothing new for anyone.
			const mark = (await deliveries(site.id)).length;
			await saveSeries(editor, series.id, form('Weekly club'));
			expect((await deliveries(site.id)).length).toBe(mark);

			// Renamed: an Update per date to come.
			await saveSeries(editor, series.id, form('Weekly film club'));
			queued = (await deliveries(site.id)).slice(mark);
			expect(queued.map((d) => d.type)).toEqual(upcoming.map(() => 'Update'));

			// One date cancelled: its Update, the site's Discord sync and the cancellation notices.
			const next = upcoming[0]!;
			const m2 = (await deliveries(site.id)).length;
			await setEventCancelled(editor, next.id, true);
			expect((await deliveries(site.id)).slice(m2)).toEqual([{ type: 'Update', object: expect.stringContaining(next.id) }]);
			expect((await jobsNamed('mail.cancellation', site.id)).map((j) => j.data.eventId)).toContain(next.id);

			// Deleted: a Delete for each date to come, none for the past ones kept as one-off events.
			const m3 = (await deliveries(site.id)).length;
			await deleteSeries(editor, series.id, { confirm: 'yes', scope: 'future' });
			queued = (await deliveries(site.id)).slice(m3);
			expect(queued.map((d) => d.type)).toEqual(upcoming.map(() => 'Delete'));
		});

		it('a series tells its next four weeks; later dates as they come within them (the hourly pass); drafts never', async () => {
			const now = new Date();
			const first = day(1);
			const weekly = {
				startDate: first,
				startTime: '19:00',
				repeat: 'weekly',
				repeatWeekdays: weekdayOf(first)
			};
			const told = async () => new Set((await deliveries(site.id)).map((d) => d.object.split('/').pop()!));
			const draft = await saveSeries(editor, null, { ...weekly, title: 'Draft series', intent: 'draft' });
			const published = await saveSeries(editor, null, { ...weekly, title: 'Open series', intent: 'publish' });
			const datesOf = (id: string) => siteRead(site.id, () => listOccurrences(site.id, id));
			const dates = await datesOf(published.id);
			const windowEnd = now.getTime() + FEDIVERSE_WINDOW_DAYS * 86_400_000;
			const within = dates.filter((d) => d.startsAt.getTime() <= windowEnd);
			const beyond = dates.filter((d) => d.startsAt.getTime() > windowEnd);
			// An open-ended weekly series is materialised a year ahead; four weeks of it are told.
			expect(within.length).toBeGreaterThanOrEqual(3);
			expect(beyond.length).toBeGreaterThan(40);
			let seen = await told();
			expect(within.every((d) => seen.has(d.id))).toBe(true);
			expect(beyond.filter((d) => seen.has(d.id))).toEqual([]);
			expect((await datesOf(draft.id)).filter((d) => seen.has(d.id))).toEqual([]);

			// Half an hour after the next date came within four weeks, the pass tells it (and only it).
			const next = beyond[0]!;
			const passAt = new Date(next.startsAt.getTime() - FEDIVERSE_WINDOW_DAYS * 86_400_000 + 30 * 60_000);
			const mark = (await deliveries(site.id)).length;
			await announceDatesEnteringWindow(passAt);
			const queued = (await deliveries(site.id)).slice(mark);
			expect(queued).toEqual([{ type: 'Create', object: expect.stringContaining(next.id) }]);
			seen = await told();
			expect(beyond.slice(1).filter((d) => seen.has(d.id))).toEqual([]);
			// The draft series' date of that week is not told.
			expect((await datesOf(draft.id)).filter((d) => seen.has(d.id))).toEqual([]);

			// A month later the horizon is extended: dates a year out reach no one yet.
			const had = new Set(dates.map((d) => d.id));
			const later = new Date(now.getTime() + 40 * 86_400_000);
			expect(await extendSeriesAhead(editor.site, later)).toBeGreaterThan(0);
			const added = (await datesOf(published.id)).filter((d) => !had.has(d.id));
			expect(added.length).toBeGreaterThan(0);
			seen = await told();
			expect(added.filter((d) => seen.has(d.id))).toEqual([]);

			// Suspended: the site's changes reach no one.
			const hub = await f.superAdmin();
			await setSiteStatus(hub.platform, site.id, 'suspended');
			try {
				const quiet = await f.actorOn(site, editor.user, 'editor');
				const m2 = (await deliveries(site.id)).length;
				await saveEvent(quiet, null, { title: 'Quiet', startDate: day(3), startTime: '19:00', intent: 'publish' });
				await saveSeries(quiet, published.id, { ...weekly, title: 'Open series, renamed', intent: 'publish' });
				// Nor does the hourly pass speak for it.
				const following = beyond[1]!;
				await announceDatesEnteringWindow(new Date(following.startsAt.getTime() - FEDIVERSE_WINDOW_DAYS * 86_400_000 + 30 * 60_000));
				expect((await deliveries(site.id)).length).toBe(m2);
			} finally {
				await setSiteStatus(hub.platform, site.id, 'active');
			}
		});
	});
}
