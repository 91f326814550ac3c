/**
 * The events manager over real HTTP, signed in through the Discord flow on the site's own host:
 * every form action saves what it should and shows it on the public site; bad input answers 400
 * with field errors and saves nothing; people without a role on the site, members of another
 * site and ids of another site's events are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, event } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/content/sites';
import { instantFromWallTime } from '../../src/lib/time';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createMember, createSite, createUser } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { file, jpeg } from '../support/images';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase'))('events manager', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	const A = { host: 'events-a.example' } as { host: string; id: string };
	const B = {} as { id: string; host: string };
	const cookie = {} as Record<'editor' | 'memberOfB' | 'outsider' | 'bOnB', string>;
	let bEvent: typeof event.$inferSelect;

	const eventsOf = (siteId: string) => db().select().from(event).where(eq(event.siteId, siteId));
	const post = (path: string, fields: Fields, who: keyof typeof cookie | 'anonymous' = 'editor', host = A.host) =>
		postAdminForm(hub.origin, path, host, who === 'anonymous' ? '' : cookie[who], fields);
	const valid = (overrides: Fields = {}): Fields => ({
		title: 'Summer Screening',
		slug: '',
		status: 'published',
		startDate: `${NEXT_YEAR}-07-10`,
		startTime: '19:30',
		endDate: '',
		endTime: '22:00',
		venueName: 'The Basement',
		venueAddress: '1 Cellar Street',
		ticketUrl: 'https://tickets.example/summer',
		description: 'A **warm** night of films.',
		imageAlt: '',
		...overrides
	});

	beforeAll(async () => {
		const a = await createSite({ name: 'Alpha Events Club', timezone: 'Europe/Berlin' });
		A.id = a.id;
		await setPrimaryDomain(a.id, (await createDomain(a.id, A.host, true)).id);
		const b = await createSite({ name: 'Bravo Secret Society', timezone: 'UTC' });
		B.id = b.id;
		B.host = `${b.slug}.hub.test`;
		bEvent = await createEvent(b, { title: 'Bravo private gathering', status: 'published' });
		const editor = await createMember(a, 'editor');
		const bOwner = await createMember(b, 'owner');
		const outsider = await createUser();
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.editor = await signIn(hub, A.host, editor.discordId);
		cookie.memberOfB = await signIn(hub, A.host, bOwner.discordId);
		cookie.outsider = await signIn(hub, A.host, outsider.discordId!);
		cookie.bOnB = await signIn(hub, B.host, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('creates a published event from wall time in the site’s zone (summer and winter) and shows it publicly', async () => {
		const summer = await post('/admin/events/new', valid());
		expect(summer.status).toBe(303);
		const id = /\/admin\/events\/([0-9a-f-]{36})\?saved=1$/.exec(locationOf(summer))?.[1];
		expect(id).toBeTruthy();
		const [row] = await db().select().from(event).where(eq(event.id, id!));
		expect(row!.slug).toBe('summer-screening');
		// 19:30 in Berlin in July is CEST (UTC+2).
		expect(row!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-07-10T17:30:00.000Z`);
		expect(row!.endsAt!.toISOString()).toBe(`${NEXT_YEAR}-07-10T20:00:00.000Z`);

		const winter = await post('/admin/events/new', valid({ title: 'Winter Screening', startDate: `${NEXT_YEAR}-01-15`, endTime: '' }));
		expect(winter.status).toBe(303);
		const [w] = await db().select().from(event).where(and(eq(event.siteId, A.id), eq(event.slug, 'winter-screening')));
		expect(w!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-01-15T18:30:00.000Z`);
		expect(w!.endsAt).toBeNull();

		const page = await get(hub.origin, '/events/summer-screening', A.host);
		expect(page.status).toBe(200);
		expect(page.body).toContain('Summer Screening');
		expect(page.body).toContain('<strong>warm</strong>');
		expect(page.body).toContain('The Basement');
	});

	it('creates all-day events spanning several days', async () => {
		const r = await post('/admin/events/new', valid({ title: 'Zine Fair', allDay: 'on', startDate: `${NEXT_YEAR}-03-28`, endDate: `${NEXT_YEAR}-03-29`, startTime: '', endTime: '' }));
		expect(r.status).toBe(303);
		const [row] = await db().select().from(event).where(and(eq(event.siteId, A.id), eq(event.slug, 'zine-fair')));
		expect(row!.allDay).toBe(true);
		expect(row!.startsAt).toEqual(instantFromWallTime({ year: NEXT_YEAR, month: 3, day: 28, hour: 0, minute: 0 }, 'Europe/Berlin'));
		expect(row!.endsAt).toEqual(instantFromWallTime({ year: NEXT_YEAR, month: 3, day: 30, hour: 0, minute: 0 }, 'Europe/Berlin'));
	});

	it('answers bad input with 400, errors next to the fields, the input kept, and saves nothing', async () => {
		const before = (await eventsOf(A.id)).length;
		const cases: [Fields, string][] = [
			[valid({ title: '' }), 'Title is required'],
			[valid({ startDate: 'soon' }), 'Start date: pick a date'],
			[valid({ endTime: '18:00' }), 'The event cannot end before it starts'],
			[valid({ ticketUrl: 'javascript:alert(1)' }), 'Ticket link must start with https://'],
			[valid({ slug: 'Not A Slug!' }), 'lowercase letters'],
			[valid({ slug: 'summer-screening', title: 'Another' }), 'Another event already uses the address'],
			[valid({ status: 'secret' }), 'Choose draft, published or cancelled'],
			[valid({ startTime: '' }), 'Start time is required']
		];
		for (const [fields, message] of cases) {
			const r = await post('/admin/events/new', fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toContain(message);
			expect(r.body, message).toContain('aria-invalid="true"');
			expect(r.body, message).toContain('value="The Basement"');
		}
		expect((await eventsOf(A.id)).length).toBe(before);
	});

	it('stores an uploaded image as WebP variants and refuses a file that is not an image, leaving nothing behind', async () => {
		const image = file(await jpeg(1200, 800), 'poster.jpg', 'image/jpeg');
		const ok = await post('/admin/events/new', valid({ title: 'With Poster', image, imageAlt: 'A poster with a robot' }));
		expect(ok.status).toBe(303);
		const [row] = await db().select().from(event).where(and(eq(event.siteId, A.id), eq(event.slug, 'with-poster')));
		const [img] = await db().select().from(asset).where(eq(asset.id, row!.imageAssetId!));
		expect(img!.siteId).toBe(A.id);
		expect(img!.kind).toBe('event');
		expect(img!.altText).toBe('A poster with a robot');
		const page = await get(hub.origin, '/events/with-poster', A.host);
		expect(page.body).toContain('A poster with a robot');
		expect(page.body).toContain(img!.cdnKey);

		const assetsBefore = (await db().select().from(asset).where(eq(asset.siteId, A.id))).length;
		const eventsBefore = (await eventsOf(A.id)).length;
		const bad = await post('/admin/events/new', valid({ title: 'Bad Poster', image: file('not an image at all', 'poster.jpg', 'image/jpeg') }));
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.status).toBeLessThan(500);
		expect(bad.body).toContain('value="Bad Poster"');
		expect((await db().select().from(asset).where(eq(asset.siteId, A.id))).length).toBe(assetsBefore);
		expect((await eventsOf(A.id)).length).toBe(eventsBefore);
	});

	it('edits, cancels, duplicates and deletes an event, each visible on the public site', async () => {
		const [row] = await db().select().from(event).where(and(eq(event.siteId, A.id), eq(event.slug, 'summer-screening')));
		const edit = await post(`/admin/events/${row!.id}?/save`, valid({ title: 'Summer Screening Extended', slug: 'summer-screening', status: 'cancelled' }));
		expect(edit.status).toBe(303);
		const page = await get(hub.origin, '/events/summer-screening', A.host);
		expect(page.body).toContain('Summer Screening Extended');
		expect(page.body).toMatch(/[Cc]ancelled/);

		const dup = await post(`/admin/events/${row!.id}?/duplicate`, {});
		expect(dup.status).toBe(303);
		const [copy] = await db().select().from(event).where(and(eq(event.siteId, A.id), eq(event.slug, 'summer-screening-copy')));
		expect(copy!.status).toBe('draft');
		expect((await get(hub.origin, '/events/summer-screening-copy', A.host)).status).toBe(404);

		const unconfirmed = await post(`/admin/events/${row!.id}?/delete`, {});
		expect(unconfirmed.status).toBe(400);
		expect((await eventsOf(A.id)).some((e) => e.id === row!.id)).toBe(true);
		const del = await post(`/admin/events/${row!.id}?/delete`, { confirm: 'yes' });
		expect(del.status).toBe(303);
		expect(locationOf(del)).toBe('/admin/events?deleted=1');
		expect((await eventsOf(A.id)).some((e) => e.id === row!.id)).toBe(false);
		expect((await get(hub.origin, '/events/summer-screening', A.host)).status).toBe(404);
	});

	it('lists events by filter, with drafts apart', async () => {
		const list = await get(hub.origin, '/admin/events?show=drafts', A.host, { cookie: cookie.editor });
		expect(list.status).toBe(200);
		expect(list.body).toContain('Summer Screening Extended (copy)');
		expect(list.body).not.toContain('Winter Screening');
		const upcoming = await get(hub.origin, '/admin/events', A.host, { cookie: cookie.editor });
		expect(upcoming.body).toContain('Winter Screening');
		expect(upcoming.body).not.toContain('Bravo private gathering');
	});

	it('refuses another site’s event ids on this host, with 404, and leaves them unchanged', async () => {
		const before = await eventsOf(B.id);
		for (const path of [`/admin/events/${bEvent.id}?/save`, `/admin/events/${bEvent.id}?/duplicate`, `/admin/events/${bEvent.id}?/delete`]) {
			const r = await post(path, { ...valid({ title: 'Hijacked' }), confirm: 'yes' });
			expect(r.status, path).toBe(404);
		}
		expect((await post('/admin/events?/duplicate', { id: bEvent.id })).status).toBe(404);
		expect((await get(hub.origin, `/admin/events/${bEvent.id}`, A.host, { cookie: cookie.editor })).status).toBe(404);
		expect(await eventsOf(B.id)).toEqual(before);
		expect((await eventsOf(A.id)).some((e) => e.title.includes('Hijacked') || e.title.includes('Bravo'))).toBe(false);
	});

	it('refuses people without a role here: members of another site, outsiders, anonymous visitors', async () => {
		const before = (await eventsOf(A.id)).length;
		const [any] = await eventsOf(A.id);
		for (const who of ['memberOfB', 'outsider'] as const) {
			expect((await get(hub.origin, '/admin/events', A.host, { cookie: cookie[who] })).status, who).toBe(403);
			// Without JavaScript the refusal is rendered as the same "no access" page as the GET.
			expect((await post('/admin/events/new', valid({ title: `By ${who}` }), who)).status, who).toBe(403);
			expect((await post(`/admin/events/${any!.id}?/delete`, { confirm: 'yes' }, who)).status, who).toBe(403);
		}
		const anonymousPage = await get(hub.origin, '/admin/events', A.host);
		expect(anonymousPage.status).toBe(303);
		expect(locationOf(anonymousPage)).toContain('/login?next=');
		const anonymousPost = await post('/admin/events/new', valid({ title: 'By nobody' }), 'anonymous');
		expect(anonymousPost.status).toBe(303);
		expect(locationOf(anonymousPost)).toContain('/login?next=');
		// B's owner, signed in on B's own host, still cannot reach A's events through B's admin.
		expect((await post(`/admin/events/${any!.id}?/delete`, { confirm: 'yes' }, 'bOnB', B.host)).status).toBe(404);
		expect((await eventsOf(A.id)).length).toBe(before);
	});
});
