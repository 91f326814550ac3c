/**
 * Database outage (issue 12): the built server on a private PostgreSQL cluster that the test stops
 * in the middle of traffic. Cached public pages keep answering 200 from the render cache (past
 * their freshness too, marked stale, until the database is back); pages
 * and hosts that need the database answer a plain 503 page (no stack trace); /readyz says 503; a
 * form posted meanwhile gets an error and leaves nothing behind; a write cut off by the stop is
 * all or nothing. Once the cluster is back the same process recovers without a restart.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, type HttpResult } from '../support/server';
import { createPrivateCluster, postgresBinDir, type PrivateCluster } from '../support/pg-cluster';
import { createDomain, createEvent, createMember, createPage, createSite } from '../support/factories';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { postAdminForm, type Fields } from '../support/admin-forms';
import { closeDatabase, db, useDatabase } from '../../src/lib/server/db';
import { connectPostgres } from '../../src/lib/server/db/client';
import { migratePostgresUrl } from '../../src/lib/server/db/migrate';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { sql } from 'drizzle-orm';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const TTL_MS = 4000;

/** What a visitor may see on an error page: a plain message, none of the platform's insides. */
function expectPlainUnavailable(r: HttpResult, what: string) {
	expect(r.status, what).toBe(503);
	expect(String(r.headers['content-type']), what).toMatch(/^text\/html/);
	expect(r.body, what).toContain('Temporarily unavailable');
	expect(r.body, what).not.toMatch(/\bat .+\(|node_modules|ECONNREFUSED|postgres|Error:|stack/i);
}

describe.runIf(inject('templateDatabase') && postgresBinDir())('database outage', () => {
	let cluster: PrivateCluster;
	let hub: HubWithDiscord;
	let cookie: string;
	const A = { host: 'outage-a.example' } as { host: string; id: string; page: string };
	const B = { host: 'outage-b.example' } as { host: string; id: string };
	/** Visitors' site: no write touches it during the test, so its cached pages stay valid. */
	const C = { host: 'outage-c.example' } as { host: string; id: string; page: string };
	const editorId = '400000000000000001';

	const eventForm = (title: string): Fields => ({
		title,
		status: 'published',
		startDate: `${NEXT_YEAR}-06-01`,
		startTime: '20:00',
		endDate: '',
		endTime: '22:00',
		venueName: 'The Back Room',
		venueAddress: '',
		ticketUrl: '',
		description: 'Written during an outage.',
		imageAlt: ''
	});
	const eventsTitled = async (title: string) =>
		Number(
			(
				(await db().execute(sql`select count(*)::int as n from event where site_id = ${A.id} and title = ${title}`)) as unknown as {
					n: number;
				}[]
			)[0]!.n
		);
	const auditsFor = async (title: string) =>
		Number(
			(
				(await db().execute(sql`select count(*)::int as n from audit_event where site_id = ${A.id} and target = ${title}`)) as unknown as {
					n: number;
				}[]
			)[0]!.n
		);

	beforeAll(async () => {
		cluster = await createPrivateCluster();
		await migratePostgresUrl(cluster.url);
		useDatabase(connectPostgres(cluster.url, { max: 2 }));
		for (const [s, name] of [
			[A, 'Outage Alpha'],
			[B, 'Outage Beta'],
			[C, 'Outage Gamma']
		] as const) {
			const site = await createSite({ name });
			s.id = site.id;
			await setPrimaryDomain(site.id, (await createDomain(site.id, s.host)).id);
			await createEvent(site, { title: `${name} screening` });
		}
		A.page = (await createPage({ id: A.id }, { title: 'Outage Alpha about' })).slug;
		C.page = (await createPage({ id: C.id }, { title: 'Outage Gamma about' })).slug;
		await createMember({ id: A.id }, 'editor', { discordId: editorId });
		// A short freshness, so pages expire during the outage: they are then served stale.
		hub = await startHubWithDiscord({ env: { DATABASE_URL: cluster.url, RENDER_CACHE_TTL_MS: String(TTL_MS) } });
		cookie = await signIn(hub, A.host, editorId);
	}, 90_000);

	afterAll(async () => {
		// OUTAGE_DEBUG=1: the server's log (without the per-request lines) to see what it went through.
		if (process.env.OUTAGE_DEBUG)
			console.log(
				hub?.output
					.join('')
					.split('\n')
					.filter((l) => !l.includes('"msg":"request"'))
					.join('\n')
					.slice(-5000)
			);
		await hub?.stop();
		await closeDatabase().catch(() => {});
		cluster?.destroy();
	});

	it(
		'keeps serving cached pages, answers a plain 503 for the rest, and recovers when the database returns',
		{ timeout: 90_000 },
		async () => {
			// The form works while the database is up (so the refusals below mean something).
			const before = await postAdminForm(hub.origin, '/admin/events/new?/save', A.host, cookie, eventForm('Before the outage'));
			expect(before.status).toBe(303);
			expect(await eventsTitled('Before the outage')).toBe(1);

			const cached = ['/', '/events', '/events.ics'];
			for (const path of cached) {
				await get(hub.origin, path, C.host);
				expect((await get(hub.origin, path, C.host)).headers['x-render-cache'], path).toBe('hit');
			}
			// The last page was cached by now: past this plus the TTL, every one of them is past its freshness.
			const warmedAt = Date.now();

			// Visitors keep coming while the cluster goes down.
			let traffic = true;
			const seen: { path: string; status: number; cache: unknown }[] = [];
			const visitors = Array.from({ length: 4 }, async (_, i) => {
				while (traffic) {
					const path = cached[i % cached.length]!;
					const r = await get(hub.origin, path, C.host).catch((error: Error) => ({
						status: 0,
						headers: { 'x-render-cache': error.message }
					}));
					seen.push({ path, status: r.status, cache: r.headers['x-render-cache'] });
					await sleep(5);
				}
			});
			// A write racing the stop: whatever the outcome, never an event without its audit row.
			const racing = postAdminForm(hub.origin, '/admin/events/new?/save', A.host, cookie, eventForm('Racing the outage'));
			await sleep(100);
			await cluster.stopAsync();
			await sleep(300);

			expectPlainUnavailable(await get(hub.origin, `/${C.page}`, C.host), 'an uncached page');
			expectPlainUnavailable(await get(hub.origin, '/', B.host), 'a host not resolved yet');
			expect((await get(hub.origin, '/readyz', 'localhost')).status).toBe(503);
			expect((await get(hub.origin, '/healthz', 'localhost')).status).toBe(200);
			const during = await postAdminForm(hub.origin, '/admin/events/new?/save', A.host, cookie, eventForm('During the outage'));
			expectPlainUnavailable(during, 'a form posted during the outage');
			// The failed session lookup is logged without its parameters (the session token).
			const token = /session_token=([^.;]+)/.exec(cookie)![1]!;
			expect(hub.output.join('')).toContain('params: [redacted]');
			expect(hub.output.join('')).not.toContain(token);
			const raced = await racing;
			expect([303, 503]).toContain(raced.status);

			await sleep(300);
			traffic = false;
			await Promise.all(visitors);
			expect(seen.length).toBeGreaterThan(20);
			expect(seen.filter((r) => r.status !== 200 || (r.cache !== 'hit' && r.cache !== 'stale'))).toEqual([]);

			// Past their freshness, the warmed pages are still served (marked stale) while the database is away.
			await sleep(Math.max(0, warmedAt + TTL_MS + 200 - Date.now()));
			for (const path of cached) {
				const r = await get(hub.origin, path, C.host);
				expect(r.status, path).toBe(200);
				expect(r.headers['x-render-cache'], path).toBe('stale');
				expect(r.body, path).toContain('Outage Gamma');
			}

			await cluster.startAsync();
			const started = performance.now();
			for (;;) {
				if ((await get(hub.origin, '/readyz', 'localhost')).status === 200) break;
				if (performance.now() - started > 20_000) throw new Error('not ready again within 20 s');
				await sleep(100);
			}
			const page = await get(hub.origin, `/${C.page}`, C.host);
			expect(page.status).toBe(200);
			expect(page.body).toContain('Outage Gamma about');
			expect((await get(hub.origin, '/', B.host)).status).toBe(200);

			// Nothing of the refused form was kept; the racing one is whole or absent.
			expect(await eventsTitled('During the outage')).toBe(0);
			expect(await auditsFor('During the outage')).toBe(0);
			const racedRows = await eventsTitled('Racing the outage');
			expect(await auditsFor('Racing the outage')).toBe(racedRows);
			if (raced.status === 303) expect(racedRows).toBe(1);

			// Writes work again, and reach the public pages (the listener is back: caches follow changes).
			const after = await postAdminForm(hub.origin, '/admin/events/new?/save', A.host, cookie, eventForm('After the outage'));
			expect(after.status).toBe(303);
			const events = await get(hub.origin, '/events', A.host);
			expect(events.status).toBe(200);
			expect(events.body).toContain('After the outage');
		}
	);
});
