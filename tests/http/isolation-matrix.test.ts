/**
 * The isolation matrix: personas × admin routes × actions × id variants, over the built server,
 * with an EXACT expected status for every combination computed from one role table (who may do
 * what: src/lib/server/auth/permissions.ts) — never "200 or 403". Routes and actions are read
 * from the route tree (tests/support/route-tree.ts), so a screen added later is covered, and a
 * route missing from ROUTE_PERMISSION below fails the test instead of going unchecked.
 *
 * Sites A and B hold rows of every kind; B's carry marker strings. Every persona signs in through
 * the (fake) Discord flow on A's host and on the hub. Then:
 *   - GET of every site-admin page on A's host and at the hub's /sites/<A>/admin view, with the
 *     route's [id] set to B's row, an unknown UUID and a malformed id: exact status, never B's markers;
 *   - POST of every action the same ways, plus an unparsable body (text/plain; multipart without
 *     a boundary): exact status; afterwards every row of B (every table with a site_id) is unchanged;
 *   - cross-origin posts (evil Origin, "null", Sec-Fetch-Site cross-site, B's host) → 403, nothing written;
 *   - the hub panel: pages and actions 404 to everyone but the super admin (anonymous → sign-in).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { follower, siteFollower } from '../../src/lib/server/db/schema';
import { ACTIONS, type Action } from '../../src/lib/server/auth/permissions';
import { useTestDatabase } from '../support/db';
import {
	actorOn,
	createAsset,
	createDomain,
	createEvent,
	createMember,
	createNavLink,
	createPage,
	createSite,
	createSocialLink,
	createUser
} from '../support/factories';
import { request } from '../support/server';
import { concurrently } from '../support/concurrently';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { routesUnder } from '../support/route-tree';
import { createInvite } from '../../src/lib/server/services/members';
import { createSeries } from '../../src/lib/server/queries/events';
import { createPlace } from '../../src/lib/server/queries/places';
import { createTag } from '../../src/lib/server/queries/tags';
import { updateHome } from '../../src/lib/server/services/home';

const ROUTES = path.resolve(import.meta.dirname, '../../src/routes');
const siteRoutes = routesUnder(ROUTES, 'admin', '/admin');
const hubRoutes = routesUnder(ROUTES, 'hub/admin', '/admin');

/**
 * The role table: the permission each admin page needs to be seen, and each action to be used
 * (`path` for the page, `path?/action` for an action; an action not listed needs its page's).
 */
const ROUTE_PERMISSION: Record<string, Action> = {
	'/admin': 'admin.view',
	'/admin?/invite': 'members.invite',
	'/admin/branding': 'site.branding',
	'/admin/discord': 'site.settings',
	'/admin/domains': 'site.domains',
	'/admin/drafts': 'content.edit',
	'/admin/events': 'content.edit',
	'/admin/followers': 'followers.manage',
	'/admin/followers/export.csv': 'followers.manage',
	'/admin/events/[id]': 'content.edit',
	'/admin/events/[id]/revisions': 'content.edit',
	'/admin/events/new': 'content.edit',
	'/admin/events/series/[id]': 'content.edit',
	'/admin/events/series/[id]/revisions': 'content.edit',
	'/admin/events/tags': 'content.edit',
	'/admin/events/places': 'content.edit',
	'/admin/events/places/[id]': 'content.edit',
	'/admin/fediverse': 'site.fediverse',
	'/admin/fediverse?/federation': 'site.fediverse_switch',
	'/admin/homepage': 'content.edit',
	'/admin/homepage/revisions': 'content.edit',
	'/admin/links': 'site.links',
	'/admin/media': 'content.edit',
	'/admin/members': 'members.invite',
	'/admin/members?/role': 'members.manage',
	'/admin/members?/remove': 'members.manage',
	'/admin/members?/transfer': 'members.manage',
	'/admin/pages': 'content.edit',
	'/admin/pages/[id]': 'content.edit',
	'/admin/pages/[id]/revisions': 'content.edit',
	'/admin/pages/new': 'content.edit',
	'/admin/settings': 'site.settings',
	'/admin/settings?/slug': 'site.slug'
};

/** The permission a page (or one of its actions) needs, from the role table. */
function permissionOf(routePath: string, action?: string): Action {
	const permission = (action !== undefined && ROUTE_PERMISSION[`${routePath}?/${action}`]) || ROUTE_PERMISSION[routePath];
	if (!permission) throw new Error(`${routePath}: add it to ROUTE_PERMISSION (the role table)`);
	return permission;
}

type Persona = 'anonymous' | 'no role' | 'owner of B' | 'editor of A' | 'admin of A' | 'owner of A' | 'super admin';
const PERSONAS: Persona[] = ['anonymous', 'no role', 'owner of B', 'editor of A', 'admin of A', 'owner of A', 'super admin'];
const RANK = { editor: 1, admin: 2, owner: 3 } as const;
const ROLE_OF: Partial<Record<Persona, keyof typeof RANK>> = { 'editor of A': 'editor', 'admin of A': 'admin', 'owner of A': 'owner' };
const SUPER_ID = '999999999999999902';

/** How a row is named in the URL or the form: B's real row, a UUID nobody has, not a UUID. */
type IdVariant = 'B' | 'unknown' | 'malformed';
/** Requests in flight at once: enough to keep the server busy, few enough to stay within its pool. */
const IN_FLIGHT = 6;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** 36 characters of hex and dashes that are not a UUID (issue: these gave 500s). */
const MALFORMED_ID = '0000000-00000-4000-8000-0000000000000';

/**
 * The status a refused persona gets, whatever it sends; null when the persona may act. Signed
 * out: sent to sign in (a form post too: the browser lands on the sign-in page). Signed in
 * without a role on this site: the "no access" page. A role too low for the action: 403.
 */
function refusedStatus(who: Persona, permission: Action): number | null {
	if (who === 'anonymous') return 303;
	if (who === 'super admin') return null;
	const role = ROLE_OF[who];
	if (!role) return 403;
	return RANK[role] >= RANK[ACTIONS[permission]] ? null : 403;
}

/** Every table with a site_id column, B's rows as one hash per table (counts and contents). */
async function snapshot(siteId: string): Promise<Record<string, string>> {
	const tables = (await db().execute(
		sql`select table_name from information_schema.columns where column_name = 'site_id' and table_schema = 'public' order by table_name`
	)) as unknown as Array<{ table_name: string }>;
	const out: Record<string, string> = {};
	for (const { table_name } of tables) {
		const rows = (await db().execute(sql`select * from ${sql.identifier(table_name)} where site_id = ${siteId}`)) as unknown as unknown[];
		const lines = rows.map((r) => JSON.stringify(r)).sort();
		out[table_name] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
	}
	const site = (await db().execute(sql`select * from site where id = ${siteId}`)) as unknown as unknown[];
	out.site = createHash('sha256').update(JSON.stringify(site)).digest('hex');
	return out;
}

describe.runIf(inject('templateDatabase'))('isolation matrix (exact statuses from the role table)', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let hostA: string;
	let hostB: string;
	const cookies = { site: {} as Record<Persona, string>, hub: {} as Record<Persona, string> };
	/** B's row ids by the form field or route parameter that names them. */
	const idsB: Record<string, string> = {};
	const markersB = ['MARKERB'];
	let combinations = 0;

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Film Club' });
		siteB = await createSite({ name: 'MARKERB-site Bravo', tagline: 'MARKERB tagline' });
		hostA = `${siteA.slug}.hub.test`;
		hostB = `${siteB.slug}.hub.test`;
		for (const site of [siteA, siteB]) {
			const tag = site === siteB ? 'MARKERB' : 'markera';
			const ev = await createEvent(site, { title: `${tag}-event`, status: 'draft' });
			const pg = await createPage(site, { title: `${tag}-page`, published: false });
			const nav = await createNavLink(site);
			const social = await createSocialLink(site);
			const asset = await createAsset(site, { altText: `${tag}-asset` } as never);
			const domain = await createDomain(site.id, `${tag.toLowerCase()}-${site.slug}.example`, false);
			// Not due for the background re-check while the matrix runs: its bookkeeping would change B's rows.
			await db().execute(sql`update site_domain set next_check_at = now() + interval '1 day' where id = ${domain.id}`);
			const member = await createMember(site, 'editor', { name: `${tag}-member` });
			const series = await createSeries(site.id, {
				slug: `${tag.toLowerCase()}-series`,
				title: `${tag}-series`,
				rrule: 'FREQ=WEEKLY;BYDAY=FR',
				firstDate: '2031-01-03',
				startTime: '19:00',
				status: 'draft',
				materialisedUntil: '2031-01-03'
			});
			const [apFollower] = await db()
				.insert(siteFollower)
				.values({
					siteId: site.id,
					actorUri: `https://remote.example/users/${tag}`,
					handle: `@${tag}-follower@remote.example`,
					inbox: 'https://remote.example/inbox'
				})
				.returning();
			const place = await createPlace(site.id, { slug: `${tag.toLowerCase()}-place`, name: `${tag}-place`, address: `${tag} street 1` });
			const label = await createTag(site.id, { slug: `${tag.toLowerCase()}-tag`, name: `${tag}-tag`, color: '#123456' });
			if (site === siteB) {
				Object.assign(idsB, {
					place: place.id,
					tag: label.id,
					apFollower: apFollower!.id,
					event: ev.id,
					series: series.id,
					page: pg.id,
					nav: nav.id,
					social: social.id,
					asset: asset.id,
					domain: domain.id,
					member: member.id
				});
			}
		}
		const ownerB = await createMember(siteB, 'owner');
		const invite = await createInvite(await actorOn(siteB, { id: ownerB.id, name: 'MARKERB-owner' }, 'owner'), { role: 'editor' });
		idsB.invitation = invite.invitation.id;
		// A follower of B (with a marker address): A's followers screen never shows or removes it.
		const [followerB] = await db()
			.insert(follower)
			.values({ siteId: siteB.id, email: 'MARKERB-follower@example.org', status: 'confirmed' })
			.returning();
		idsB.follower = followerB!.id;
		// A version of B's homepage (and so of its history), named by id in A's restore form.
		await updateHome(await actorOn(siteB, { id: ownerB.id, name: 'MARKERB-owner' }, 'owner'), { heroTitle: 'MARKERB-home' });
		idsB.homeRevision = (
			(await db().execute(sql`select id from revision where site_id = ${siteB.id}`)) as unknown as Array<{ id: string }>
		)[0]!.id;
		const people: Record<Exclude<Persona, 'anonymous'>, string> = {
			'no role': (await createUser()).discordId!,
			'owner of B': ownerB.discordId,
			'editor of A': (await createMember(siteA, 'editor')).discordId,
			'admin of A': (await createMember(siteA, 'admin')).discordId,
			'owner of A': (await createMember(siteA, 'owner')).discordId,
			'super admin': (await createUser({ discordId: SUPER_ID })).discordId!
		};
		// Mail on (to a port where nothing listens: nothing is delivered), so the followers screens exist.
		hub = await startHubWithDiscord({
			env: {
				DATABASE_URL: tdb.url!,
				SUPER_ADMIN_DISCORD_IDS: SUPER_ID,
				SMTP_URL: 'smtp://127.0.0.1:9',
				MAIL_FROM: 'hub@mail.test',
				FEDERATION_KEY: 'matrix-federation-key-0123456789-abcdef'
			}
		});
		cookies.site.anonymous = '';
		cookies.hub.anonymous = '';
		for (const [who, discordId] of Object.entries(people)) {
			cookies.site[who as Persona] = await signIn(hub, hostA, discordId);
			cookies.hub[who as Persona] = await signIn(hub, 'hub.test', discordId);
		}
	}, 180_000);
	afterAll(async () => {
		console.log(
			`isolation matrix: ${siteRoutes.length} site admin pages, ${siteRoutes.reduce((n, r) => n + r.actions.length, 0)} actions, ` +
				`${hubRoutes.length} hub pages; ${combinations} (persona, route, action, id, host) combinations, each with its exact status`
		);
		await hub?.stop();
	});

	const idFor = (routePath: string, variant: IdVariant) =>
		variant === 'unknown'
			? UNKNOWN_ID
			: variant === 'malformed'
				? MALFORMED_ID
				: routePath.includes('/pages/')
					? idsB.page!
					: routePath.includes('/series/')
						? idsB.series!
						: routePath.includes('/places/')
							? idsB.place!
							: idsB.event!;
	const fill = (routePath: string, variant: IdVariant) => routePath.replace('[id]', idFor(routePath, variant));
	/** The site screens on A's host, and the same screens in the hub's view of A. */
	const places = () =>
		[
			{ host: hostA, prefix: '', cookie: cookies.site },
			{ host: 'hub.test', prefix: `/sites/${siteA.slug}`, cookie: cookies.hub }
		] as const;
	/** A form whose every row-naming field carries one of B's ids (or the variant's id). */
	const hostileForm = (variant: IdVariant, id: string) => {
		const named = (real: string) => (variant === 'B' ? real : variant === 'unknown' ? UNKNOWN_ID : MALFORMED_ID);
		return new URLSearchParams({
			id: named(id),
			userId: named(idsB.member!),
			kind: 'nav',
			direction: 'down',
			confirm: 'yes',
			altText: 'x',
			role: 'editor',
			label: 'x',
			url: 'https://x.example/',
			platform: 'website'
		});
	};

	it('finds every admin screen and action in the route tree, each in the role table', () => {
		expect(siteRoutes.length).toBeGreaterThanOrEqual(14);
		expect(siteRoutes.flatMap((r) => r.actions).length).toBeGreaterThanOrEqual(30);
		for (const route of siteRoutes) expect(() => permissionOf(route.path)).not.toThrow();
		expect(hubRoutes.length).toBeGreaterThanOrEqual(2);
	});

	it('GET of every site-admin page, every persona, every id variant, on A’s host and the hub view: exact status', async () => {
		const wrong: string[] = [];
		const gets: Array<{ route: (typeof siteRoutes)[number]; place: ReturnType<typeof places>[number]; who: Persona; variant: IdVariant }> =
			[];
		for (const route of siteRoutes) {
			const variants: IdVariant[] = route.params.length ? ['B', 'unknown', 'malformed'] : ['B'];
			for (const place of places()) for (const who of PERSONAS) for (const variant of variants) gets.push({ route, place, who, variant });
		}
		await concurrently(gets, IN_FLIGHT, async ({ route, place, who, variant }) => {
			const url = place.prefix + fill(route.path, variant);
			const r = await request(hub.origin, url, place.host, { headers: { cookie: place.cookie[who], accept: 'text/html' } });
			combinations++;
			const expected = refusedStatus(who, permissionOf(route.path)) ?? (route.params.length ? 404 : 200);
			if (r.status !== expected) wrong.push(`${who} GET ${place.host}${url}: ${r.status}, expected ${expected}`);
			if (markersB.some((m) => r.body.includes(m))) wrong.push(`${who} GET ${place.host}${url}: shows B's content`);
			if (r.headers['x-frame-options'] !== 'DENY') wrong.push(`${who} GET ${url}: no X-Frame-Options`);
			if (r.headers['x-content-type-options'] !== 'nosniff') wrong.push(`${who} GET ${url}: no nosniff`);
			if (!r.headers['referrer-policy']) wrong.push(`${who} GET ${url}: no Referrer-Policy`);
			if (r.status === 200 && !/script-src/.test(String(r.headers['content-security-policy'] ?? '')))
				wrong.push(`${who} GET ${url}: no CSP`);
			if (expected === 303 && !String(r.headers.location).includes('/login')) wrong.push(`${who} GET ${url}: not sent to sign in`);
		});
		expect(wrong).toEqual([]);
	});

	// One test per screen, so each has its own time budget and its failures name the screen.
	for (const route of siteRoutes.filter((r) => r.actions.length)) {
		it(`POST ${route.path}: every action, every persona, B’s / unknown / malformed ids, unparsable bodies: exact status, B unchanged`, async () => {
			const before = await snapshot(siteB.id);
			const wrong: string[] = [];
			const posts: Array<{
				url: string;
				host: string;
				cookie: string;
				who: Persona;
				action: string;
				label: string;
				type: string;
				body: string;
			}> = [];
			for (const action of route.actions) {
				const permission = permissionOf(route.path, action);
				const kind = ROW_KIND[`${route.path}?/${action}`];
				const query = action ? `?/${action}` : '';
				for (const place of places()) {
					for (const who of PERSONAS) {
						const refused = refusedStatus(who, permission);
						const forms: Array<{ label: string; variant: IdVariant; type: string; body: string }> = [
							{ label: 'text/plain body', variant: 'B', type: 'text/plain', body: 'id=1&confirm=yes' },
							{ label: 'multipart without boundary', variant: 'B', type: 'multipart/form-data', body: '--x\r\n' }
						];
						// A refused persona is refused before its input is read: one form is enough.
						const variants: IdVariant[] = refused || (!kind && !route.params.length) ? ['B'] : ['B', 'unknown', 'malformed'];
						for (const variant of variants) {
							const body = hostileForm(variant, idsB[kind ?? 'event']!).toString();
							forms.push({ label: `${variant} id`, variant, type: 'application/x-www-form-urlencoded', body });
						}
						for (const f of forms)
							posts.push({
								...f,
								url: place.prefix + fill(route.path, f.variant) + query,
								host: place.host,
								cookie: place.cookie[who],
								who,
								action
							});
					}
				}
			}
			// Every post names B's rows, unknown or malformed ids, or writes A where its status does
			// not depend on order (a link added, an invitation made), so they may run side by side.
			await concurrently(posts, IN_FLIGHT, async ({ url, host, cookie, who, action, label, type, body }) => {
				const r = await request(hub.origin, url, host, {
					method: 'POST',
					headers: { cookie, origin: `http://${host}`, 'content-type': type, accept: 'text/html' },
					body
				});
				combinations++;
				const expected = statusFor(who, route, action, type !== 'application/x-www-form-urlencoded');
				if (r.status !== expected) wrong.push(`${who} POST ${host}${url} (${label}): ${r.status}, expected ${expected}`);
				if (markersB.some((m) => r.body.includes(m))) wrong.push(`${who} POST ${url} (${label}): shows B's content`);
			});
			expect(wrong).toEqual([]);
			expect(await snapshot(siteB.id)).toEqual(before);
		}, 120_000);
	}

	it('cross-origin posts to every action are refused (403) and write nothing', async () => {
		const beforeA = await snapshot(siteA.id);
		const beforeB = await snapshot(siteB.id);
		const audit = await db().execute(sql`select count(*)::int as n from audit_event`);
		const wrong: string[] = [];
		const forged: Array<[string, Record<string, string>]> = [
			['Origin https://evil.example', { origin: 'https://evil.example' }],
			['Origin null', { origin: 'null' }],
			['no Origin, Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
			["B's host as Origin", { origin: `http://${hostB}` }]
		];
		const targets: Array<{ host: string; url: string; cookie: string }> = [];
		for (const route of siteRoutes) {
			for (const action of route.actions) {
				const url = fill(route.path, 'unknown') + (action ? `?/${action}` : '');
				targets.push({ host: hostA, url, cookie: cookies.site['owner of A'] });
				targets.push({ host: 'hub.test', url: `/sites/${siteA.slug}${url}`, cookie: cookies.hub['super admin'] });
			}
		}
		for (const route of hubRoutes) {
			for (const action of route.actions) {
				targets.push({
					host: 'hub.test',
					url: route.path.replace('[slug]', siteA.slug) + `?/${action}`,
					cookie: cookies.hub['super admin']
				});
			}
		}
		const attempts = targets.flatMap((t) => forged.map(([label, headers]) => ({ ...t, label, headers })));
		await concurrently(attempts, IN_FLIGHT, async (t) => {
			const r = await request(hub.origin, t.url, t.host, {
				method: 'POST',
				headers: { ...t.headers, cookie: t.cookie, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ name: 'pwned', role: 'editor', confirm: 'yes', confirmSlug: siteA.slug }).toString()
			});
			combinations++;
			if (r.status !== 403) wrong.push(`${t.label} → ${t.host}${t.url}: ${r.status}`);
		});
		expect(wrong).toEqual([]);
		expect(await snapshot(siteA.id)).toEqual(beforeA);
		expect(await snapshot(siteB.id)).toEqual(beforeB);
		expect(await db().execute(sql`select count(*)::int as n from audit_event`)).toEqual(audit);
	});

	it('the hub panel: 404 to everyone but the super admin (anonymous → sign-in), for every page and action', async () => {
		const before = [await snapshot(siteA.id), await snapshot(siteB.id)];
		const wrong: string[] = [];
		for (const route of hubRoutes) {
			const url = route.path.replace('[slug]', siteB.slug);
			for (const who of PERSONAS) {
				const r = await request(hub.origin, url, 'hub.test', { headers: { cookie: cookies.hub[who], accept: 'text/html' } });
				combinations++;
				const expected = who === 'super admin' ? 200 : who === 'anonymous' ? 303 : 404;
				if (r.status !== expected) wrong.push(`${who} GET ${url}: ${r.status}, expected ${expected}`);
				if (who !== 'super admin' && markersB.some((m) => r.body.includes(m))) wrong.push(`${who} GET ${url}: shows B`);
				if (who === 'super admin') continue;
				for (const action of route.actions) {
					const p = await request(hub.origin, `${url}?/${action}`, 'hub.test', {
						method: 'POST',
						headers: {
							cookie: cookies.hub[who],
							origin: 'http://hub.test',
							'content-type': 'application/x-www-form-urlencoded',
							accept: 'text/html'
						},
						body: new URLSearchParams({
							confirmSlug: siteB.slug,
							name: 'x',
							slug: 'x',
							timezone: 'UTC',
							hostname: 'evil-x.example'
						}).toString()
					});
					combinations++;
					const expectedPost = 404;
					if (p.status !== expectedPost) wrong.push(`${who} POST ${url}?/${action}: ${p.status}, expected ${expectedPost}`);
				}
			}
		}
		expect(wrong).toEqual([]);
		expect([await snapshot(siteA.id), await snapshot(siteB.id)]).toEqual(before);
	});
});

/**
 * The exact status of one post, from the role table and what the post names. A form post without
 * JavaScript renders the page after the action, so the page's own checks have the last word:
 *   - signed out → sign-in; the page's permission refused (no role here, or too low) → 403;
 *   - a row named in the URL (`/admin/events/<id>`) that is not A's → 404, whatever the body;
 *   - a body that cannot be read as a form → 400;
 *   - the action's own permission (inviting, managing members, the slug) refused → 403;
 *   - a row named by the form that is not A's (B's, unknown, malformed) → 404;
 *   - otherwise what the action does with a form that names no row (OUTCOME; 400 when incomplete).
 */
function statusFor(who: Persona, route: { path: string; params: string[] }, action: string, unparsable: boolean): number {
	if (who === 'anonymous') return 303;
	const pageRefused = refusedStatus(who, permissionOf(route.path));
	if (pageRefused !== null) return pageRefused;
	if (route.params.length) return 404;
	if (unparsable) return 400;
	const actionRefused = refusedStatus(who, permissionOf(route.path, action));
	if (actionRefused !== null) return actionRefused;
	const key = `${route.path}?/${action}`;
	if (ROW_KIND[key]) return 404;
	return OUTCOME[key] ?? OUTCOME[action] ?? 400;
}

/** What an allowed persona's post of the matrix's form does where it names no row. */
const OUTCOME: Record<string, number> = {
	// Previews render the (empty) text and save nothing.
	preview: 200,
	// The rich text editor's picker: A's own images and events (B's markers are checked absent).
	'/admin/media?/library': 200,
	// Nothing to read: removing a logo A does not have is done.
	removeLogo: 303,
	removeBackground: 303,
	// Every homepage field may be empty.
	'/admin/homepage?/save': 303,
	// The form is complete for these: A gets a one-time invitation link (shown), a link (saved),
	// a social link (saved).
	invite: 200,
	addNav: 303,
	addSocial: 303,
	// Nothing connected on A: disconnecting is already done.
	'/admin/discord?/disconnect': 303,
	// An unticked box: A stops federating (it has no followers to tell); again, already off.
	'/admin/fediverse?/federation': 303
};

/** Actions whose form names an existing row by id, and which of B's rows the matrix names there. */
const ROW_KIND: Record<string, string> = {
	'/admin/domains?/verify': 'domain',
	'/admin/domains?/primary': 'domain',
	'/admin/domains?/remove': 'domain',
	'/admin/events?/duplicate': 'event',
	'/admin/followers?/remove': 'follower',
	'/admin/events/tags?/update': 'tag',
	'/admin/events/tags?/delete': 'tag',
	// B's homepage version, restored on A's homepage.
	'/admin/homepage/revisions?/restore': 'homeRevision',
	'/admin/fediverse?/remove': 'apFollower',
	'/admin/links?/updateNav': 'nav',
	'/admin/links?/updateSocial': 'social',
	'/admin/links?/delete': 'nav',
	'/admin/links?/move': 'nav',
	'/admin/media?/alt': 'asset',
	'/admin/media?/delete': 'asset',
	'/admin/members?/revoke': 'invitation',
	'/admin/members?/role': 'member',
	'/admin/members?/remove': 'member',
	'/admin/members?/transfer': 'member'
};
