/**
 * The events manager over real HTTP, signed in through the Discord flow on the site's own host:
 * every form action saves what it should and shows it on the public site; bad input answers 400
 * with field errors and saves nothing; people without a role on the site, members of another
 * site and ids of another site's events are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset, auditEvent, event } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { instantFromWallTime, localDateTimeInput } from '../../src/lib/time';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createMember, createSite, createUser } from '../support/factories';
import { get, request } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { file, jpeg } from '../support/images';
import { locationOf, postAdminForm, type Fields } from '../support/admin-forms';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe.runIf(inject('templateDatabase'))('events manager', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	const A = { host: 'events-a.example' } as { host: string; id: string; slug: string };
	const B = {} as { id: string; host: string };
	const cookie = {} as Record<'editor' | 'memberOfB' | 'outsider' | 'bOnB' | 'superOnHub', string>;
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
		A.slug = a.slug;
		await setPrimaryDomain(a.id, (await createDomain(a.id, A.host, true)).id);
		const b = await createSite({ name: 'Bravo Secret Society', timezone: 'UTC' });
		B.id = b.id;
		B.host = `${b.slug}.hub.test`;
		bEvent = await createEvent(b, { title: 'Bravo private gathering', status: 'published' });
		const editor = await createMember(a, 'editor');
		const bOwner = await createMember(b, 'owner');
		const outsider = await createUser();
		const superAdmin = await createUser({ name: 'Sue Super' });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: superAdmin.discordId } });
		cookie.editor = await signIn(hub, A.host, editor.discordId);
		cookie.memberOfB = await signIn(hub, A.host, bOwner.discordId);
		cookie.outsider = await signIn(hub, A.host, outsider.discordId!);
		cookie.bOnB = await signIn(hub, B.host, bOwner.discordId);
		cookie.superOnHub = await signIn(hub, 'hub.test', superAdmin.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('creates a published event from wall time in the site’s zone (summer and winter) and shows it publicly', async () => {
		const summer = await post('/admin/events/new?/save', valid());
		expect(summer.status).toBe(303);
		const id = /\/admin\/events\/([0-9a-f-]{36})\?saved=1$/.exec(locationOf(summer))?.[1];
		expect(id).toBeTruthy();
		const [row] = await db().select().from(event).where(eq(event.id, id!));
		expect(row!.slug).toBe('summer-screening');
		// 19:30 in Berlin in July is CEST (UTC+2).
		expect(row!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-07-10T17:30:00.000Z`);
		expect(row!.endsAt!.toISOString()).toBe(`${NEXT_YEAR}-07-10T20:00:00.000Z`);

		const winter = await post(
			'/admin/events/new?/save',
			valid({ title: 'Winter Screening', startDate: `${NEXT_YEAR}-01-15`, endTime: '' })
		);
		expect(winter.status).toBe(303);
		const [w] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'winter-screening')));
		expect(w!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-01-15T18:30:00.000Z`);
		expect(w!.endsAt).toBeNull();

		const page = await get(hub.origin, '/events/summer-screening', A.host);
		expect(page.status).toBe(200);
		expect(page.body).toContain('Summer Screening');
		expect(page.body).toContain('<strong>warm</strong>');
		expect(page.body).toContain('The Basement');
	});

	it('a draft scheduled 3 s ahead goes public by itself: page, list, calendar and feed, no admin request', async () => {
		const at = new Date(Date.now() + 3000);
		const publishAt = `${localDateTimeInput(at, 'Europe/Berlin')}:${String(at.getSeconds()).padStart(2, '0')}`;
		const r = await post(
			'/admin/events/new?/save',
			valid({ title: 'Surprise Screening', status: undefined, intent: 'schedule', publishAt })
		);
		expect(r.status).toBe(303);
		const editorPage = await get(hub.origin, locationOf(r).replace(/^https?:\/\/[^/]+/, ''), A.host, { cookie: cookie.editor });
		expect(editorPage.body).toContain('Scheduled for');
		expect((await get(hub.origin, '/events/surprise-screening', A.host)).status).toBe(404);
		// Only the worker acts from here on (this hub runs ROLE=all): visitors see it once it is due.
		await expect.poll(async () => (await get(hub.origin, '/events/surprise-screening', A.host)).status, { timeout: 15_000 }).toBe(200);
		// Not before its time (the field has whole seconds, so its instant is `at` without the milliseconds).
		expect(Date.now()).toBeGreaterThanOrEqual(Math.floor(at.getTime() / 1000) * 1000);
		expect((await get(hub.origin, '/events', A.host)).body).toContain('Surprise Screening');
		expect((await get(hub.origin, '/events.ics', A.host)).body).toContain('SUMMARY:Surprise Screening');
		expect((await get(hub.origin, '/feed.xml', A.host)).body).toContain('Surprise Screening');
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'surprise-screening')));
		expect(row).toMatchObject({ status: 'published', publishAt: null });
	});

	it('creates all-day events spanning several days', async () => {
		const r = await post(
			'/admin/events/new?/save',
			valid({
				title: 'Zine Fair',
				allDay: 'on',
				startDate: `${NEXT_YEAR}-03-28`,
				endDate: `${NEXT_YEAR}-03-29`,
				startTime: '',
				endTime: ''
			})
		);
		expect(r.status).toBe(303);
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'zine-fair')));
		expect(row!.allDay).toBe(true);
		expect(row!.startsAt).toEqual(instantFromWallTime({ year: NEXT_YEAR, month: 3, day: 28, hour: 0, minute: 0 }, 'Europe/Berlin'));
		expect(row!.endsAt).toEqual(instantFromWallTime({ year: NEXT_YEAR, month: 3, day: 30, hour: 0, minute: 0 }, 'Europe/Berlin'));
		// The editor (as rendered without JavaScript) shows it as all-day, first and last day.
		const editor = await get(hub.origin, `/admin/events/${row!.id}`, A.host, { cookie: cookie.editor });
		expect(editor.body).toMatch(/<input type="checkbox" name="allDay" checked/);
		expect(editor.body).toContain(`name="endDate" type="date" value="${NEXT_YEAR}-03-29"`);
		expect(editor.body).not.toContain('name="startTime"');
	});

	it('answers bad input with 400, errors next to the fields, the input kept, and saves nothing', async () => {
		const before = (await eventsOf(A.id)).length;
		const cases: [Fields, string][] = [
			[valid({ title: '' }), 'Title is required'],
			[valid({ startDate: 'soon' }), 'Start date: pick a date'],
			[valid({ endDate: `${NEXT_YEAR}-07-09`, endTime: '18:00' }), 'The event cannot end before it starts'],
			[valid({ ticketUrl: 'javascript:alert(1)' }), 'Ticket link must start with https://'],
			[valid({ slug: 'Not A Slug!' }), 'lowercase letters'],
			[valid({ slug: 'summer-screening', title: 'Another' }), 'Another event already uses the address'],
			[valid({ startTime: '' }), 'Start time is required']
		];
		for (const [fields, message] of cases) {
			const r = await post('/admin/events/new?/save', fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toContain(message);
			expect(r.body, message).toContain('aria-invalid="true"');
			expect(r.body, message).toContain('value="The Basement"');
		}
		expect((await eventsOf(A.id)).length).toBe(before);
		// Fields without an input of their own (the save buttons, a status sent by a script): the
		// message is shown above the buttons.
		for (const [fields, message] of [
			[valid({ status: 'secret' }), 'Choose draft, published or cancelled'],
			[valid({ intent: 'secret' }), 'Choose Publish or Save draft']
		] as const) {
			const r = await post('/admin/events/new?/save', fields);
			expect(r.status, message).toBe(400);
			expect(r.body, message).toMatch(new RegExp(`role="alert"[^>]*>${message}`));
		}
	});

	it('stores an uploaded image as WebP variants and refuses a file that is not an image, leaving nothing behind', async () => {
		const image = file(await jpeg(1200, 800), 'poster.jpg', 'image/jpeg');
		const ok = await post('/admin/events/new?/save', valid({ title: 'With Poster', image, imageAlt: 'A poster with a robot' }));
		expect(ok.status).toBe(303);
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'with-poster')));
		const [img] = await db().select().from(asset).where(eq(asset.id, row!.imageAssetId!));
		expect(img!.siteId).toBe(A.id);
		expect(img!.kind).toBe('event');
		expect(img!.altText).toBe('A poster with a robot');
		const page = await get(hub.origin, '/events/with-poster', A.host);
		expect(page.body).toContain('A poster with a robot');
		expect(page.body).toContain(img!.cdnKey);

		const assetsBefore = (await db().select().from(asset).where(eq(asset.siteId, A.id))).length;
		const eventsBefore = (await eventsOf(A.id)).length;
		const bad = await post(
			'/admin/events/new?/save',
			valid({ title: 'Bad Poster', image: file('not an image at all', 'poster.jpg', 'image/jpeg') })
		);
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.status).toBeLessThan(500);
		expect(bad.body).toContain('value="Bad Poster"');
		expect((await db().select().from(asset).where(eq(asset.siteId, A.id))).length).toBe(assetsBefore);
		expect((await eventsOf(A.id)).length).toBe(eventsBefore);
	});

	it('edits, cancels, duplicates and deletes an event, each visible on the public site', async () => {
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'summer-screening')));
		const edit = await post(
			`/admin/events/${row!.id}?/save`,
			valid({ title: 'Summer Screening Extended', slug: 'summer-screening', status: 'cancelled' })
		);
		expect(edit.status).toBe(303);
		const page = await get(hub.origin, '/events/summer-screening', A.host);
		expect(page.body).toContain('Summer Screening Extended');
		expect(page.body).toMatch(/[Cc]ancelled/);

		const dup = await post(`/admin/events/${row!.id}?/duplicate`, {});
		expect(dup.status).toBe(303);
		const [copy] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'summer-screening-copy')));
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
		for (const path of [
			`/admin/events/${bEvent.id}?/save`,
			`/admin/events/${bEvent.id}?/duplicate`,
			`/admin/events/${bEvent.id}?/delete`
		]) {
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
			expect((await post('/admin/events/new?/save', valid({ title: `By ${who}` }), who)).status, who).toBe(403);
			expect((await post(`/admin/events/${any!.id}?/delete`, { confirm: 'yes' }, who)).status, who).toBe(403);
		}
		const anonymousPage = await get(hub.origin, '/admin/events', A.host);
		expect(anonymousPage.status).toBe(303);
		expect(locationOf(anonymousPage)).toContain('/login?next=');
		const anonymousPost = await post('/admin/events/new?/save', valid({ title: 'By nobody' }), 'anonymous');
		expect(anonymousPost.status).toBe(303);
		expect(locationOf(anonymousPost)).toContain('/login?next=');
		// B's owner, signed in on B's own host, still cannot reach A's events through B's admin.
		expect((await post(`/admin/events/${any!.id}?/delete`, { confirm: 'yes' }, 'bOnB', B.host)).status).toBe(404);
		expect((await eventsOf(A.id)).length).toBe(before);
	});
	/**
	 * The action's own answer as an enhanced form (use:enhance) gets it: JSON, without the page's
	 * loads, so this is the action's permission and id checks alone. fail(n) comes back as HTTP 200
	 * with type "failure" and status n; thrown errors and redirects keep theirs.
	 */
	const enhanced = async (path: string, fields: Fields, who: keyof typeof cookie | 'anonymous', host = A.host) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, v);
		const encoded = new Response(form);
		const r = await request(hub.origin, path, host, {
			method: 'POST',
			headers: {
				'content-type': encoded.headers.get('content-type')!,
				origin: `http://${host}`,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				...(who === 'anonymous' ? {} : { cookie: cookie[who] })
			},
			body: Buffer.from(await encoded.arrayBuffer())
		});
		const json = JSON.parse(r.body) as { type: string; status?: number; location?: string };
		return {
			status: json.type === 'failure' || json.type === 'redirect' ? json.status! : r.status,
			type: json.type,
			location: json.location,
			body: r.body
		};
	};
	const rowOf = async (id: string) => (await db().select().from(event).where(eq(event.id, id)))[0];

	it('every action refuses people without a role here, B’s session on A’s host, and anonymous visitors, changing nothing', async () => {
		const target = await createEvent({ id: A.id }, { title: 'Guarded Evening', status: 'published' });
		const eventsBefore = await eventsOf(A.id);
		const auditBefore = (await db().select().from(auditEvent)).length;
		const actions: [string, Fields][] = [
			['/admin/events/new?/save', valid({ title: 'Intruder event' })],
			['/admin/events/new?/preview', { description: 'x' }],
			['/admin/events?/duplicate', { id: target.id }],
			[`/admin/events/${target.id}?/save`, valid({ title: 'Intruder edit' })],
			[`/admin/events/${target.id}?/preview`, { description: 'x' }],
			[`/admin/events/${target.id}?/cancel`, {}],
			[`/admin/events/${target.id}?/restore`, {}],
			[`/admin/events/${target.id}?/duplicate`, {}],
			[`/admin/events/${target.id}?/delete`, { confirm: 'yes' }]
		];
		for (const [path, fields] of actions) {
			// Signed in here without a role: "not found", so the admin does not confirm what exists.
			for (const who of ['memberOfB', 'outsider'] as const) expect((await enhanced(path, fields, who)).status, `${who} ${path}`).toBe(404);
			// B's session cookie means nothing on A's host (sessions are bound to the host that issued them).
			expect((await enhanced(path, fields, 'bOnB')).status, `B's cookie ${path}`).toBe(401);
			expect((await enhanced(path, fields, 'anonymous')).status, `anonymous ${path}`).toBe(401);
		}
		expect(await eventsOf(A.id)).toEqual(eventsBefore);
		expect((await db().select().from(auditEvent)).length).toBe(auditBefore);
		expect((await get(hub.origin, '/events/' + target.slug, A.host)).body).not.toContain('Intruder');
	});

	it('every action on another site’s event id answers 404 and leaves B’s row as it was', async () => {
		const before = await rowOf(bEvent.id);
		for (const action of ['save', 'preview', 'cancel', 'restore', 'duplicate', 'delete']) {
			const r = await enhanced(`/admin/events/${bEvent.id}?/${action}`, { ...valid({ title: 'Hijacked' }), confirm: 'yes' }, 'editor');
			expect(r.status, action).toBe(404);
			expect(r.body, action).not.toContain('Bravo');
		}
		expect(await rowOf(bEvent.id)).toEqual(before);
		expect((await eventsOf(B.id)).length).toBe(1);
	});

	it('previews the description through the public sanitizer, keeps the input, saves nothing', async () => {
		const before = (await eventsOf(A.id)).length;
		const r = await post(
			'/admin/events/new?/preview',
			valid({ title: 'Preview Only', description: 'Hello **there** <script>alert(1)</script> [x](javascript:alert(2))' })
		);
		expect(r.status).toBe(200);
		const preview = /<div class="prose[^"]*">([\s\S]*?)<\/div>/.exec(r.body)?.[1] ?? '';
		expect(preview).toContain('<strong>there</strong>');
		expect(preview).not.toContain('script');
		expect(preview).not.toContain('javascript:');
		// The typed text is kept in the field (escaped).
		expect(r.body).toContain('&lt;script>alert(1)&lt;/script>');
		expect(r.body).toContain('value="Preview Only"');
		expect((await eventsOf(A.id)).length).toBe(before);
		expect((await db().select().from(event).where(eq(event.title, 'Preview Only'))).length).toBe(0);
	});

	it('cancels an event (still public, marked cancelled) and restores it', async () => {
		const e = await createEvent({ id: A.id }, { title: 'Rain Check', slug: 'rain-check', status: 'published' });
		const cancel = await post(`/admin/events/${e.id}?/cancel`, {});
		expect(cancel.status).toBe(303);
		expect(locationOf(cancel)).toBe(`/admin/events/${e.id}?cancelled=1`);
		expect((await rowOf(e.id))!.status).toBe('cancelled');
		const pub = await get(hub.origin, '/events/rain-check', A.host);
		expect(pub.status).toBe(200);
		expect(pub.body).toContain('Cancelled');
		const restore = await post(`/admin/events/${e.id}?/restore`, {});
		expect(restore.status).toBe(303);
		expect((await rowOf(e.id))!.status).toBe('published');
		expect((await get(hub.origin, '/events/rain-check', A.host)).body).not.toContain('Cancelled: Rain Check');
	});

	it('duplicates from the list into a draft with a free slug', async () => {
		const e = await createEvent({ id: A.id }, { title: 'Quiz Night', slug: 'quiz-night', status: 'published' });
		const r = await post('/admin/events?/duplicate', { id: e.id });
		expect(r.status).toBe(303);
		const [copy] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'quiz-night-copy')));
		expect(locationOf(r)).toBe(`/admin/events/${copy!.id}?copied=1`);
		expect(copy!.status).toBe('draft');
		expect(copy!.startsAt).toEqual(e.startsAt);
		const again = await post('/admin/events?/duplicate', { id: e.id });
		expect(again.status).toBe(303);
		expect(
			(
				await db()
					.select()
					.from(event)
					.where(and(eq(event.siteId, A.id), eq(event.slug, 'quiz-night-copy-2')))
			).length
		).toBe(1);
	});

	it('edits the image: new description, replacement, refusal of a bad file, removal', async () => {
		const created = await post(
			'/admin/events/new?/save',
			valid({ title: 'Poster Night', image: file(await jpeg(800, 600), 'one.jpg', 'image/jpeg'), imageAlt: 'First poster' })
		);
		expect(created.status).toBe(303);
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'poster-night')));
		const first = row!.imageAssetId!;
		const edit = (fields: Fields) =>
			post(`/admin/events/${row!.id}?/save`, valid({ title: 'Poster Night', slug: 'poster-night', ...fields }));

		// The editor shows the current description, and changing it updates the image's alt text.
		expect((await get(hub.origin, `/admin/events/${row!.id}`, A.host, { cookie: cookie.editor })).body).toContain('value="First poster"');
		expect((await edit({ imageAlt: 'Poster with a red robot' })).status).toBe(303);
		expect((await db().select().from(asset).where(eq(asset.id, first)))[0]!.altText).toBe('Poster with a red robot');
		expect((await get(hub.origin, '/events/poster-night', A.host)).body).toContain('Poster with a red robot');

		// A broken file: 4xx next to the field, the event untouched, no new asset.
		const before = await rowOf(row!.id);
		const assetsBefore = await db().select().from(asset).where(eq(asset.siteId, A.id));
		const bad = await edit({ title: 'Renamed by bad upload', image: file(Buffer.from('GIF89a broken'), 'x.gif', 'image/gif') });
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.status).toBeLessThan(500);
		expect(bad.body).toContain('aria-invalid="true"');
		expect(await rowOf(row!.id)).toEqual(before);
		expect(await db().select().from(asset).where(eq(asset.siteId, A.id))).toEqual(assetsBefore);

		// Replacing: a new asset on the event; the old one stays in the media library.
		expect((await edit({ image: file(await jpeg(640, 480), 'two.jpg', 'image/jpeg'), imageAlt: 'Second poster' })).status).toBe(303);
		const replaced = (await rowOf(row!.id))!.imageAssetId!;
		expect(replaced).not.toBe(first);
		expect((await db().select().from(asset).where(eq(asset.id, first))).length).toBe(1);
		const publicPage = await get(hub.origin, '/events/poster-night', A.host);
		expect(publicPage.body).toContain('Second poster');

		// Removing: no image on the event or its page.
		expect((await edit({ removeImage: 'on' })).status).toBe(303);
		expect((await rowOf(row!.id))!.imageAssetId).toBeNull();
		expect((await get(hub.origin, '/events/poster-night', A.host)).body).not.toContain('Second poster');
	});

	it('stores 19:30 Berlin wall time at the right instant across DST when editing, and an all-day event as local midnights', async () => {
		const e = await createEvent({ id: A.id }, { title: 'Clock Test', slug: 'clock-test' });
		const save = (fields: Fields) =>
			post(`/admin/events/${e.id}?/save`, valid({ title: 'Clock Test', slug: 'clock-test', endTime: '', ...fields }));
		// Last Sunday of March: CET → CEST at 02:00. The day before is +01:00, the day after +02:00.
		expect((await save({ startDate: `${NEXT_YEAR}-03-28`, startTime: '19:30' })).status).toBe(303);
		expect((await rowOf(e.id))!.startsAt).toEqual(
			instantFromWallTime({ year: NEXT_YEAR, month: 3, day: 28, hour: 19, minute: 30 }, 'Europe/Berlin')
		);
		expect((await save({ startDate: `${NEXT_YEAR}-12-05`, startTime: '19:30' })).status).toBe(303);
		expect((await rowOf(e.id))!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-12-05T18:30:00.000Z`);
		expect((await save({ startDate: `${NEXT_YEAR}-08-05`, startTime: '19:30' })).status).toBe(303);
		expect((await rowOf(e.id))!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-08-05T17:30:00.000Z`);
		// What the editor shows again is the wall time that was typed.
		const editor = await get(hub.origin, `/admin/events/${e.id}`, A.host, { cookie: cookie.editor });
		expect(editor.body).toContain(`value="${NEXT_YEAR}-08-05"`);
		expect(editor.body).toContain('value="19:30"');
		// An end before the start is refused next to the end field.
		const backwards = await save({ startDate: `${NEXT_YEAR}-08-05`, startTime: '19:30', endDate: `${NEXT_YEAR}-08-04`, endTime: '23:00' });
		expect(backwards.status).toBe(400);
		expect(backwards.body).toContain('The event cannot end before it starts');
		expect((await rowOf(e.id))!.startsAt.toISOString()).toBe(`${NEXT_YEAR}-08-05T17:30:00.000Z`);
	});

	it('the events list counts each filter, without other sites’ events', async () => {
		const list = await get(hub.origin, '/admin/events?show=all', A.host, { cookie: cookie.editor });
		const all = (await eventsOf(A.id)).length;
		const drafts = (await eventsOf(A.id)).filter((e) => e.status === 'draft').length;
		expect(list.body).toMatch(new RegExp(`All <span class="muted[^"]*">\\(${all}\\)`));
		expect(list.body).toMatch(new RegExp(`Drafts <span class="muted[^"]*">\\(${drafts}\\)`));
		expect(list.body).not.toContain('Bravo private gathering');
	});

	it('works from the hub at /sites/<slug>/admin/events, redirecting within it', async () => {
		const base = `/sites/${A.slug}/admin`;
		const list = await get(hub.origin, `${base}/events`, 'hub.test', { cookie: cookie.superOnHub });
		expect(list.status).toBe(200);
		expect(list.body).toContain(`href="${base}/events/new"`);
		const r = await postAdminForm(hub.origin, `${base}/events/new?/save`, 'hub.test', cookie.superOnHub, valid({ title: 'From The Hub' }));
		expect(r.status).toBe(303);
		expect(locationOf(r)).toMatch(new RegExp(`^${base}/events/[0-9a-f-]{36}\\?saved=1$`));
		const [row] = await db()
			.select()
			.from(event)
			.where(and(eq(event.siteId, A.id), eq(event.slug, 'from-the-hub')));
		expect(row).toBeTruthy();
		const del = await postAdminForm(hub.origin, `${base}/events/${row!.id}?/delete`, 'hub.test', cookie.superOnHub, { confirm: 'yes' });
		expect(locationOf(del)).toBe(`${base}/events?deleted=1`);
		expect(await rowOf(row!.id)).toBeUndefined();
	});
	it('two editors saving the same new slug at once: one event, the others get the field error (never a 500)', async () => {
		const results = await Promise.all(Array.from({ length: 6 }, () => post('/admin/events/new?/save', valid({ title: 'Race Night' }))));
		const statuses = results.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 303)).toHaveLength(1);
		expect(statuses.filter((s) => s === 400)).toHaveLength(5);
		for (const r of results.filter((r) => r.status === 400))
			expect(r.body).toContain('Another event already uses the address /events/race-night');
		expect(
			(
				await db()
					.select()
					.from(event)
					.where(and(eq(event.siteId, A.id), eq(event.slug, 'race-night')))
			).length
		).toBe(1);
	});
});
