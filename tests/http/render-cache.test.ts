/**
 * The render cache over real HTTP: a warm public page costs no database query, a cold one a small
 * fixed number whatever the amount of content (no N+1); an admin write shows on the next request
 * in this process and in a second server process on the same database; personal requests, POSTs
 * and errors are never cached; one site's cached page is never served on another site's host.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, request, startHub, type HttpResult, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createPage, createSite, superAdmin } from '../support/factories';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { saveHome } from '../../src/lib/server/queries/home';
import { write } from '../../src/lib/server/services/write';
import { updateHome } from '../../src/lib/server/services/home';

const queries = (r: HttpResult) => Number(r.headers['x-db-queries']);
const cacheState = (r: HttpResult) => r.headers['x-render-cache'];

describe.runIf(inject('templateDatabase'))('render cache', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let replica: HubServer;
	const A = { host: 'cache-a.example' } as { host: string; id: string; eventSlug: string; pageSlug: string };
	const B = { host: 'cache-b.example' } as { host: string; id: string; eventSlug: string; pageSlug: string };
	const actor = { userId: null, name: 'test' };

	beforeAll(async () => {
		// A has one event, B has twenty: a cold render must cost the same number of queries.
		for (const [s, events, name] of [
			[A, 1, 'Alpha Cache Club'],
			[B, 20, 'Beta Cache Club']
		] as const) {
			const row = await createSite({ name, timezone: 'Europe/Berlin' });
			s.id = row.id;
			const domain = await createDomain(row.id, s.host, true);
			await setPrimaryDomain(row.id, domain.id);
			await saveHome(row.id, { heroTitle: `${name} hero`, heroText: '', intro: `${name} intro`, showEvents: true, showLinks: true });
			for (let i = 0; i < events; i++) {
				const ev = await createEvent(row, { title: `${name} event ${i}`, startsAt: new Date(Date.now() + (i + 1) * 86_400_000) });
				if (i === 0) s.eventSlug = ev.slug;
			}
			s.pageSlug = (await createPage(row, { title: `${name} page`, body: `${name} page body` })).slug;
		}
		[hub, replica] = await Promise.all([
			startHub({ env: { DATABASE_URL: tdb.url! } }),
			startHub({ env: { DATABASE_URL: tdb.url!, RUN_MIGRATIONS: 'false' } })
		]);
	}, 120_000);

	afterAll(async () => {
		await Promise.all([hub?.stop(), replica?.stop()]);
	});

	const paths = (s: typeof A) => [
		'/',
		'/events',
		`/events/${s.eventSlug}`,
		`/${s.pageSlug}`,
		'/events.ics',
		`/events/${s.eventSlug}.ics`,
		'/feed.xml',
		'/sitemap.xml',
		'/robots.txt'
	];

	it('serves every public page warm with no database query, cold with the same few queries for 1 or 20 events', async () => {
		const cold: Record<string, number> = {};
		for (const path of paths(A)) {
			const coldA = await get(hub.origin, path, A.host);
			const coldB = await get(hub.origin, path.replace(A.eventSlug, B.eventSlug).replace(A.pageSlug, B.pageSlug), B.host);
			expect([coldA.status, coldB.status], path).toEqual([200, 200]);
			expect(cacheState(coldA), path).toBe('miss');
			expect(queries(coldA), path).toBeLessThanOrEqual(8);
			cold[path.replace(A.eventSlug, '[slug]').replace(A.pageSlug, '[page]')] = queries(coldA);
			expect(queries(coldB), `${path}: 20 events cost the same as one`).toBe(queries(coldA));

			const warm = await get(hub.origin, path, A.host);
			expect(warm.status, path).toBe(200);
			expect(cacheState(warm), path).toBe('hit');
			expect(queries(warm), path).toBe(0);
			expect(warm.body, path).toBe(coldA.body);
			expect(warm.headers['content-type'], path).toBe(coldA.headers['content-type']);
		}
		console.log('queries per cold view (the site resolved already):', JSON.stringify(cold));
	});

	it('keeps security and caching headers on a hit, answers If-None-Match with 304 and HEAD without a body', async () => {
		const warm = await get(hub.origin, '/', A.host);
		expect(cacheState(warm)).toBe('hit');
		expect(warm.headers['x-content-type-options']).toBe('nosniff');
		expect(warm.headers['content-security-policy']).toContain("script-src 'self'");
		expect(warm.headers['cache-control']).toContain('public');
		const etag = warm.headers.etag as string;
		expect(etag).toBeTruthy();
		const revalidated = await get(hub.origin, '/', A.host, { 'if-none-match': etag });
		expect(revalidated.status).toBe(304);
		expect(revalidated.body).toBe('');
		const head = await request(hub.origin, '/', A.host, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(cacheState(head)).toBe('hit');
		expect(head.body).toBe('');
	});

	it('keeps pages compressed and serves them in the best encoding the client takes', async () => {
		const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
		const plain = await get(hub.origin, '/', A.host);
		expect(plain.headers['content-encoding']).toBeUndefined();
		const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
			const u = new URL(hub.origin);
			const req = httpRequest(
				{ host: u.hostname, port: u.port, path: '/', headers: { host: A.host, 'accept-encoding': 'gzip, br' } },
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
				}
			);
			req.on('error', reject);
			req.end();
		});
		expect(raw.headers['x-render-cache']).toBe('hit');
		expect(raw.headers['content-encoding']).toBe('br');
		expect(String(raw.headers.vary)).toMatch(/accept-encoding/i);
		expect(brotliDecompressSync(raw.body).toString()).toBe(plain.body);
		expect(raw.headers['content-length']).toBe(String(raw.body.byteLength));
		const gzipped = await request(hub.origin, '/', A.host, { headers: { 'accept-encoding': 'gzip' } });
		expect(gzipped.headers['content-encoding']).toBe('gzip');
		expect(gunzipSync(gzipped.buffer).toString()).toBe(plain.body);
	});

	it('never serves one site’s cached page on another site’s host', async () => {
		const a = await get(hub.origin, '/', A.host);
		const b = await get(hub.origin, '/', B.host);
		expect(cacheState(a)).toBe('hit');
		expect(cacheState(b)).toBe('hit');
		expect(a.body).toContain('Alpha Cache Club');
		expect(a.body).not.toContain('Beta Cache Club');
		expect(b.body).toContain('Beta Cache Club');
		expect(b.body).not.toContain('Alpha Cache Club');
	});

	it('ignores query parameters a page does not read, but keys the events archive by page', async () => {
		expect(cacheState(await get(hub.origin, '/?utm_source=newsletter', A.host))).toBe('hit');
		expect(cacheState(await get(hub.origin, '/events?page=2', A.host))).toBe('miss');
		expect(cacheState(await get(hub.origin, '/events?page=2', A.host))).toBe('hit');
	});

	it('does not let a Host header with another port change the page other visitors get', async () => {
		await write({ siteId: A.id, actor }, (w) => w.audit({ action: 'test.touch' }));
		await new Promise((r) => setTimeout(r, 200));
		const odd = await get(hub.origin, '/feed.xml', `${A.host}:6666`);
		expect(odd.status).toBe(200);
		// Links come from the site's canonical address: a port other than the server's is dropped.
		expect(odd.body).not.toContain(':6666');
		expect(odd.body).toContain(`http://${A.host}/`);
		const normal = await get(hub.origin, '/feed.xml', A.host);
		expect(normal.status).toBe(200);
		expect(normal.body).toContain(`http://${A.host}/`);
		expect(normal.body).not.toContain(':6666');
		// The same page, so the same entry.
		expect(cacheState(normal)).toBe('hit');
		expect(cacheState(await get(hub.origin, '/feed.xml', `${A.host}:7777`))).toBe('hit');
	});

	it('shows an admin write on the next request, in this process and on a second replica', async () => {
		await get(replica.origin, '/', A.host);
		const warmReplica = await get(replica.origin, '/', A.host);
		expect(cacheState(warmReplica)).toBe('hit');
		const otherSite = await get(hub.origin, '/', B.host);
		expect(cacheState(otherSite)).toBe('hit');

		await updateHome(await (await superAdmin()).on(A), {
			heroTitle: 'Freshly edited hero',
			intro: 'New intro',
			showEvents: 'on',
			showLinks: 'on'
		});
		// NOTIFY is delivered on commit; allow the listeners a moment.
		for (const server of [hub, replica]) {
			let page: HttpResult | undefined;
			for (let i = 0; i < 50; i++) {
				page = await get(server.origin, '/', A.host);
				if (page.body.includes('Freshly edited hero')) break;
				await new Promise((r) => setTimeout(r, 50));
			}
			expect(page!.body).toContain('Freshly edited hero');
		}
		// The other site's pages were not dropped.
		expect(cacheState(await get(hub.origin, '/', B.host))).toBe('hit');
	});

	it('never caches a request with a session cookie, and such a request does not fill the cache', async () => {
		const path = `/${A.pageSlug}?personal`;
		const fresh = `/events/${A.eventSlug}`;
		await write({ siteId: A.id, actor }, (w) => w.audit({ action: 'test.touch' }));
		await new Promise((r) => setTimeout(r, 200));
		const signedIn = await get(hub.origin, fresh, A.host, { cookie: 'better-auth.session_token=not-a-real-session' });
		expect(signedIn.status).toBe(200);
		expect(cacheState(signedIn)).toBeUndefined();
		const secureCookie = await get(hub.origin, path, A.host, { cookie: '__Secure-better-auth.session_token=x' });
		expect(cacheState(secureCookie)).toBeUndefined();
		expect(cacheState(await get(hub.origin, fresh, A.host))).toBe('miss');
	});

	it('caches a 404 briefly but never a POST, an admin page, or a paused or failing response', async () => {
		expect(cacheState(await get(hub.origin, '/no-such-page', A.host))).toBe('miss');
		const again = await get(hub.origin, '/no-such-page', A.host);
		expect(again.status).toBe(404);
		expect(cacheState(again)).toBe('hit');
		expect(queries(again)).toBe(0);

		const post = await request(hub.origin, '/', A.host, {
			method: 'POST',
			headers: { origin: `http://${A.host}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a=1'
		});
		expect(cacheState(post)).toBeUndefined();
		for (const path of ['/admin', '/login']) {
			await get(hub.origin, path, A.host);
			expect(cacheState(await get(hub.origin, path, A.host)), path).toBeUndefined();
		}
	});
});
