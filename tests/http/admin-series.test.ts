/**
 * Repeating events in the admin over real HTTP, as a browser without JavaScript posts them: the
 * new-event form with "Repeats" makes a series and its dates; the series page says the rule in
 * plain words and lists the next dates; one date is cancelled and another changed on its own
 * page; the events list shows the series with its next dates; deleting asks which dates. Another
 * site's editor gets "not found" for all of it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { event, eventSeries } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;
/** The 2nd Friday of a month of next year, yyyy-mm-dd. */
const secondFriday = (month: number) => {
	const first = new Date(Date.UTC(NEXT_YEAR, month - 1, 1)).getUTCDay();
	return new Date(Date.UTC(NEXT_YEAR, month - 1, 1 + ((5 - first + 7) % 7) + 7)).toISOString().slice(0, 10);
};

describe.runIf(inject('templateDatabase'))('repeating events in the admin', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	const A = {} as { id: string; host: string };
	const B = {} as { id: string; host: string };
	const cookie = {} as Record<'editor' | 'bOwner', string>;
	let seriesId = '';

	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'editor', host = A.host) =>
		postAdminForm(hub.origin, path, host, cookie[who], fields);
	const page = (path: string, who: keyof typeof cookie = 'editor', host = A.host) =>
		request(hub.origin, path, host, { headers: { cookie: cookie[who], accept: 'text/html' } });
	const datesOf = (id: string) =>
		db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.seriesId, id)))
			.orderBy(event.occurrenceDate);

	beforeAll(async () => {
		const a = await createSite({ name: 'Alpha Nights', timezone: 'Europe/Berlin' });
		const b = await createSite({ name: 'Bravo Nights', timezone: 'UTC' });
		Object.assign(A, { id: a.id, host: `${a.slug}.hub.test` });
		Object.assign(B, { id: b.id, host: `${b.slug}.hub.test` });
		const editor = await createMember(a, 'editor');
		const bOwner = await createMember(b, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.editor = await signIn(hub, A.host, editor.discordId);
		cookie.bOwner = await signIn(hub, B.host, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('the new-event form offers Repeats as plain fields, each with a label', async () => {
		const r = await page('/admin/events/new');
		expect(r.status).toBe(200);
		expect(r.body).toMatch(/<legend[^>]*>Repeats<\/legend>/);
		for (const id of ['repeat', 'repeatInterval', 'repeatUntil', 'repeatCount'])
			expect(r.body).toMatch(new RegExp(`<label[^>]*for="${id}"`));
		expect(r.body).toContain('name="repeatWeekdays" value="FR"');
		expect(r.body).toContain('name="repeatMonthly" value="weekday"');
	});

	it('"Preview dates" says the rule in plain words with its next dates, without JavaScript, and saves nothing', async () => {
		const before = (await db().select().from(eventSeries).where(eq(eventSeries.siteId, A.id))).length;
		const r = await post('/admin/events/new?/preview', {
			title: 'Preview Night',
			startDate: secondFriday(1),
			startTime: '19:00',
			endTime: '22:00',
			repeat: 'monthly',
			repeatInterval: '1',
			repeatMonthly: 'weekday',
			repeatEnds: 'until',
			repeatUntil: `${NEXT_YEAR}-06-30`
		});
		expect(r.status).toBe(200);
		expect(r.body).toContain(`Every month on the 2nd Friday, until 30 June ${NEXT_YEAR}`);
		const day = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
		for (const n of [1, 2, 3, 4, 5]) expect(r.body).toContain(`${day.format(new Date(`${secondFriday(n)}T00:00:00Z`))} · 19:00–22:00`);
		expect(r.body).not.toContain(day.format(new Date(`${secondFriday(6)}T00:00:00Z`)));
		// A rule that cannot be: its error in the preview, still nothing saved.
		const bad = await post('/admin/events/new?/preview', { title: 'x', startDate: secondFriday(1), repeat: 'weekly', repeatEnds: 'until' });
		expect(bad.status).toBe(200);
		expect(bad.body).toMatch(/class="notice error[^"]*">[^<]+</);
		expect((await db().select().from(eventSeries).where(eq(eventSeries.siteId, A.id))).length).toBe(before);
	});

	it('every 2nd Friday: the form makes a series, its page says so and lists the dates', async () => {
		const r = await post('/admin/events/new?/save', {
			title: 'Community Night',
			startDate: secondFriday(1),
			startTime: '19:00',
			endTime: '22:00',
			venueName: 'The Hall',
			repeat: 'monthly',
			repeatInterval: '1',
			repeatMonthly: 'weekday',
			repeatEnds: 'until',
			repeatUntil: `${NEXT_YEAR}-06-30`,
			intent: 'publish'
		});
		expect(r.status).toBe(303);
		seriesId = /\/admin\/events\/series\/([0-9a-f-]{36})\?saved=1$/.exec(locationOf(r))?.[1] ?? '';
		expect(seriesId).toBeTruthy();
		const dates = await datesOf(seriesId);
		expect(dates.map((d) => d.occurrenceDate)).toEqual([1, 2, 3, 4, 5, 6].map(secondFriday));
		const view = await page(`/admin/events/series/${seriesId}`);
		expect(view.status).toBe(200);
		expect(view.body).toContain(`Every month on the 2nd Friday, until 30 June ${NEXT_YEAR}`);
		for (const d of dates) expect(view.body).toContain(`/admin/events/${d.id}"`);
		// The stored rule comes back into the fields.
		expect(view.body).toMatch(/<option value="monthly"[^>]*selected/);
	});

	it('one date cancelled, another changed on its own page; the list shows the series with its next dates', async () => {
		const [, second, third] = await datesOf(seriesId);
		expect((await post(`/admin/events/${second!.id}?/cancel`, {})).status).toBe(303);
		const one = await page(`/admin/events/${third!.id}`);
		expect(one.body).toContain('One date of the series');
		const moved = await post(`/admin/events/${third!.id}?/save`, {
			title: 'Community Night (garden)',
			startDate: third!.occurrenceDate!,
			startTime: '18:00',
			endTime: '21:00',
			venueName: 'The Garden',
			intent: 'publish'
		});
		expect(moved.status).toBe(303);
		const after = await datesOf(seriesId);
		expect(after[1]!.status).toBe('cancelled');
		expect([after[2]!.venueName, after[2]!.detached, after[2]!.slug]).toEqual(['The Garden', true, third!.slug]);
		expect(after.filter((d) => d.id !== second!.id && d.id !== third!.id).every((d) => d.venueName === 'The Hall')).toBe(true);

		const list = await page('/admin/events');
		expect(list.body).toContain('Repeating events');
		expect(list.body).toContain(`/admin/events/series/${seriesId}"`);
		expect(list.body).toContain('(cancelled)');

		const publicPage = await get(hub.origin, `/events/${second!.slug}`, A.host);
		expect(publicPage.body).toContain('This event is cancelled');
	});

	it('another site’s editor gets not found for the series and its dates, and nothing changes', async () => {
		const before = await db().select().from(eventSeries).where(eq(eventSeries.id, seriesId));
		const [first] = await datesOf(seriesId);
		// B's owner has no session on A's host (sessions are bound to the host that issued them): sent to sign in.
		const onA = await post(`/admin/events/series/${seriesId}?/save`, { title: 'Hijacked' }, 'bOwner', A.host);
		expect([onA.status, locationOf(onA)]).toEqual([303, expect.stringContaining('/login')]);
		// Signed in on B's host, A's series and dates do not exist.
		const hijack = { title: 'Hijacked', startDate: '2031-01-03', startTime: '10:00', repeat: 'weekly', intent: 'publish' };
		expect((await post(`/admin/events/series/${seriesId}?/save`, hijack, 'bOwner', B.host)).status).toBe(404);
		expect((await post(`/admin/events/series/${seriesId}?/delete`, { confirm: 'yes', scope: 'all' }, 'bOwner', B.host)).status).toBe(404);
		expect((await post(`/admin/events/${first!.id}?/cancel`, {}, 'bOwner', B.host)).status).toBe(404);
		expect((await post(`/admin/events/${first!.id}?/save`, hijack, 'bOwner', B.host)).status).toBe(404);
		// On B's own host the answer is exactly "not found".
		expect((await page(`/admin/events/series/${seriesId}`, 'bOwner', B.host)).status).toBe(404);
		expect((await page('/admin/events', 'bOwner', B.host)).body).not.toContain('Community Night');
		expect(await db().select().from(eventSeries).where(eq(eventSeries.id, seriesId))).toEqual(before);
		expect((await datesOf(seriesId))[0]!.status).toBe('published');
	});

	it('deleting the series asks which dates, then deletes them', async () => {
		const refused = await post(`/admin/events/series/${seriesId}?/delete`, { scope: 'all' });
		expect(refused.status).toBe(400);
		const done = await post(`/admin/events/series/${seriesId}?/delete`, { confirm: 'yes', scope: 'all' });
		expect([done.status, locationOf(done)]).toEqual([303, '/admin/events?deleted=1']);
		expect(await datesOf(seriesId)).toEqual([]);
	});
});
