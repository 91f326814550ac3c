/**
 * The render cache's fast path (public-site/fast-path.ts) over real HTTP: a fresh hit answered
 * from Node's request before SvelteKit — from memory, or read from the disk tier on a memory miss —
 * gives exactly what the handle chain gives from the same entry — status, every header but `date`,
 * body and log line — over every cacheable route, encodings, HEAD, conditional requests and
 * cookies; whatever it must not answer (a session cookie, an unknown host, a redirect to the
 * primary domain, the hub, a suspended site, several Host headers, a miss) goes through SvelteKit.
 * A test-only preload lets one server answer the same request both ways (`x-test-slow-path: 1`)
 * and reports what the fast path served. A second server has a memory tier smaller than a page, so
 * its pages are served from the disk tier (`x-render-cache: l2`), and a site's change must keep
 * its old files from ever being served.
 * Also: a SvelteKit data request (`/__data.json`, client-side navigation) never gets the page's
 * cached HTML.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { get, request, startHub, type HttpResult, type HubServer, type RequestOptions } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createEvent, createPage, createSite, superAdmin } from '../support/factories';
import { updateHome } from '../../src/lib/server/services/home';
import { setPrimaryDomain, setSiteStatus } from '../../src/lib/server/queries/sites';
import { saveHome } from '../../src/lib/server/queries/home';

const PROBE = pathToFileURL(path.resolve('tests/support/fast-path-probe.mjs')).href;

interface Case {
	path: string;
	host: string;
	method?: string;
	headers?: Record<string, string | string[]>;
	/** Whether the fast path answers it (once warm). */
	fast: boolean;
	/** Sent with a second Host header (Node's client cannot). */
	twoHosts?: true;
}

describe.runIf(inject('templateDatabase'))('render cache fast path', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	/** Memory tier of 4 KB: no page fits, so every page it has stored is read from its disk tier. */
	let l2Hub: HubServer;
	const l2DataDir = mkdtempSync(path.join(tmpdir(), 'hub-l2-'));
	const host = 'fast-a.example';
	let slug = '';
	let site: { id: string; slug: string };
	let eventSlug = '';
	let pageSlug = '';
	const suspendedHost = 'fast-suspended.example';

	beforeAll(async () => {
		site = await createSite({ name: 'Fast Path Club', timezone: 'Europe/Berlin' });
		slug = site.slug;
		await setPrimaryDomain(site.id, (await createDomain(site.id, host, true)).id);
		await saveHome(site.id, { heroTitle: 'Fast hero', heroText: 'Fast text', intro: 'Fast intro', showEvents: true, showLinks: true });
		for (let i = 0; i < 3; i++) {
			const ev = await createEvent(site, { title: `Fast event ${i}`, startsAt: new Date(Date.now() + (i + 1) * 86_400_000) });
			if (i === 0) eventSlug = ev.slug;
		}
		pageSlug = (await createPage(site, { title: 'Fast page', body: 'Fast page *body*' })).slug;
		const suspended = await createSite({ name: 'Paused Club' });
		await setPrimaryDomain(suspended.id, (await createDomain(suspended.id, suspendedHost, true)).id);
		await setSiteStatus(suspended.id, 'suspended');
		[hub, l2Hub] = await Promise.all([
			startHub({ env: { DATABASE_URL: tdb.url! }, nodeArgs: ['--import', PROBE] }),
			startHub({
				env: { DATABASE_URL: tdb.url!, RENDER_CACHE_MAX_BYTES: '4096', DATA_DIR: l2DataDir },
				nodeArgs: ['--import', PROBE]
			})
		]);
	}, 120_000);

	afterAll(async () => {
		await Promise.all([hub?.stop(), l2Hub?.stop()]);
	});

	const fastServed = (h = hub) => h.output.join('').match(/^fast-path .*$/gm)?.length ?? 0;
	const requestLines = (h = hub) =>
		h.output
			.join('')
			.split('\n')
			.filter((l) => l.includes('"msg":"request"'))
			.map((l) => {
				const { t: _t, id: _id, ms: _ms, ...rest } = JSON.parse(l) as Record<string, unknown>;
				return rest;
			});
	const send = (c: Case, slow: boolean, h = hub): Promise<HttpResult> =>
		c.twoHosts
			? twoHostRequest(c, slow, h)
			: request(h.origin, c.path, c.host, {
					method: c.method ?? 'GET',
					headers: { ...(c.headers ?? {}), ...(slow ? { 'x-test-slow-path': '1' } : {}) }
				} satisfies RequestOptions);
	/** The request written by hand with two Host headers; the answer parsed just enough to compare. */
	const twoHostRequest = (c: Case, slow: boolean, h: HubServer) =>
		new Promise<HttpResult>((resolve, reject) => {
			const socket = connect(h.port, '127.0.0.1');
			const chunks: Buffer[] = [];
			socket.on('data', (d: Buffer) => chunks.push(d));
			socket.on('error', reject);
			socket.on('end', () => {
				const buffer = Buffer.concat(chunks);
				const [head = '', body = ''] = buffer.toString().split('\r\n\r\n');
				const [statusLine = '', ...lines] = head.split('\r\n');
				const headers = Object.fromEntries(
					lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])
				);
				resolve({ status: Number(statusLine.split(' ')[1]), headers, body, buffer: Buffer.from(body) });
			});
			socket.write(
				`GET ${c.path} HTTP/1.1\r\nHost: ${c.host}\r\nHost: other.example\r\n${slow ? 'x-test-slow-path: 1\r\n' : ''}connection: close\r\n\r\n`
			);
		});
	const comparable = (r: HttpResult) => {
		const { date: _date, ...headers } = r.headers;
		return { status: r.status, headers, body: r.buffer.toString('base64') };
	};

	function cases(etag: string, port: number): Case[] {
		const browser = { 'accept-encoding': 'gzip, deflate, br, zstd', accept: 'text/html' };
		const pages = ['/', '/events', '/events?page=2', `/events/${eventSlug}`, `/${pageSlug}`, '/events.ics', `/events/${eventSlug}.ics`];
		const out: Case[] = [];
		for (const p of [...pages, '/feed.xml', '/sitemap.xml', '/robots.txt', '/og-image.png', '/no-such-page', '/?utm_source=x']) {
			for (const encoding of ['gzip, deflate, br, zstd', 'gzip', '', 'br;q=0, gzip;q=0.5', 'identity', 'gzip;q=0, br']) {
				out.push({ path: p, host, fast: true, headers: encoding ? { 'accept-encoding': encoding } : {} });
			}
			out.push({ path: p, host, method: 'HEAD', fast: true, headers: browser });
		}
		out.push(
			// Conditional requests: weak and strong forms of the ETag, a list, `*`, a stale tag.
			{ path: '/', host, fast: true, headers: { ...browser, 'if-none-match': etag } },
			{ path: '/', host, fast: true, headers: { ...browser, 'if-none-match': etag.replace(/^W\//, '') } },
			{ path: '/', host, fast: true, headers: { ...browser, 'if-none-match': `W/${etag.replace(/^W\//, '')}` } },
			{ path: '/', host, fast: true, headers: { ...browser, 'if-none-match': `"other", ${etag}` } },
			{ path: '/', host, fast: true, headers: { ...browser, 'if-none-match': '*' } },
			{ path: '/', host, fast: true, headers: { ...browser, 'if-none-match': '"stale"' } },
			{ path: '/', host, method: 'HEAD', fast: true, headers: { ...browser, 'if-none-match': etag } },
			// Cookies: other cookies are fine, a session cookie is personal.
			{ path: '/', host, fast: true, headers: { ...browser, cookie: 'theme=dark; _ga=1' } },
			{ path: '/', host, fast: false, headers: { ...browser, cookie: 'better-auth.session_token=abc.def' } },
			{ path: '/', host, fast: false, headers: { ...browser, cookie: 'a=1; __Secure-better-auth.session_token=abc' } },
			// Hosts: the server's own port (its own variant), a junk port (the port-less one), case.
			{ path: '/', host: `${host}:${port}`, fast: true, headers: browser },
			{ path: '/', host: `${host}:6666`, fast: true, headers: browser },
			{ path: '/', host: 'FAST-A.Example', fast: true, headers: browser },
			// Not for the fast path: redirect to the primary domain, unknown host, hub, suspended,
			// non-public paths, other methods, several Host headers, data requests (no-store).
			{ path: '/events?page=2', host: `${slug}.hub.test`, fast: false, headers: browser },
			{ path: '/', host: 'nobody-here.example', fast: false, headers: browser },
			{ path: '/', host: 'hub.test', fast: false, headers: browser },
			{ path: '/', host: suspendedHost, fast: false, headers: browser },
			{ path: '/events', host: suspendedHost, fast: false, headers: browser },
			{ path: '/admin', host, fast: false, headers: browser },
			{ path: '/login', host, fast: false, headers: browser },
			{ path: '/', host, method: 'OPTIONS', fast: false, headers: browser },
			{ path: '/', host, fast: false, twoHosts: true },
			{ path: '/events/__data.json?x-sveltekit-invalidated=01', host, fast: false, headers: browser },
			{ path: '/__data.json', host, fast: false, headers: browser }
		);
		return out;
	}

	/**
	 * Every case, fast and slow, on one server. `state` is the `x-render-cache` a case the fast path
	 * answers gets: `hit` from memory; on the disk-tier server, `l2` for what only its disk holds
	 * (and `hit` for the few answers small enough for its 4 KB memory tier).
	 */
	async function compareAll(h: HubServer, diskServer: boolean) {
		const warm = await get(h.origin, '/', host);
		expect(warm.status).toBe(200);
		const etag = (await waitForStored(h, { path: '/', host, fast: true }, diskServer)).headers.etag as string;
		expect(etag).toBeTruthy();
		const all = cases(etag, h.port);
		const served = new Map<string, number>();
		for (const c of all) {
			const label = `${diskServer ? 'disk tier ' : ''}${c.method ?? 'GET'} ${c.host} ${c.path} ${JSON.stringify(c.headers ?? {})}`;
			// Warm this variant (a miss stores it; HEAD of a miss is not stored, so GET first).
			await send({ ...c, method: 'GET' }, true, h);
			if (c.fast) await waitForStored(h, c, diskServer);
			const warmed = await send(c, true, h);
			// What the fast path may answer: a fresh hit in memory or, failing that, on disk.
			const expected = warmed.headers['x-render-cache'] === 'hit' || warmed.headers['x-render-cache'] === 'l2';
			// 404s are kept in memory only (random junk paths must not fill the disk).
			expect(expected, label).toBe(c.fast && !(diskServer && warmed.status === 404));
			const before = fastServed(h);
			const lines = requestLines(h).length;
			const fast = await send(c, false, h);
			const slow = await send(c, true, h);
			expect(comparable(fast), label).toEqual(comparable(slow));
			await vi.waitFor(() => expect(requestLines(h).length).toBeGreaterThanOrEqual(lines + 2));
			const [fastLine, slowLine] = requestLines(h).slice(lines, lines + 2);
			expect(fastLine, label).toEqual(slowLine);
			await vi.waitFor(() => expect(fastServed(h) - before, label).toBe(expected ? 1 : 0));
			if (expected) {
				const state = String(fast.headers['x-render-cache']);
				served.set(state, (served.get(state) ?? 0) + 1);
				expect(fast.headers['content-length'] ?? (fast.status === 304 ? 'none' : undefined), label).toBeDefined();
			}
		}
		// The statuses the comparison went over, so a broken set-up cannot pass it vacuously.
		const statuses = new Set(requestLines(h).map((l) => l.status));
		for (const s of [200, 301, 304, 404, 410]) expect(statuses, String(s)).toContain(s);
		return served;
	}

	/**
	 * The page stored: on the disk-tier server its file is written off the request path, so the
	 * handle chain answers `miss` until it lands.
	 */
	async function waitForStored(h: HubServer, c: Case, diskServer: boolean): Promise<HttpResult> {
		let last: HttpResult | undefined;
		await vi.waitFor(async () => {
			last = await send({ ...c, method: 'GET' }, true, h);
			if (diskServer && last.status === 200) expect(last.headers['x-render-cache']).not.toBe('miss');
		});
		return last!;
	}

	it('answers each warm request exactly as the handle chain does, and only what it may', async () => {
		const served = await compareAll(hub, false);
		expect([...served.keys()]).toEqual(['hit']);
		expect(served.get('hit')).toBeGreaterThan(90);
	});

	it('answers from the disk tier on a memory miss exactly as the handle chain does', async () => {
		const served = await compareAll(l2Hub, true);
		// Most pages are too big for the 4 KB memory tier; robots.txt and the like fit in it.
		expect(served.get('l2')).toBeGreaterThan(40);
		expect([...served.keys()].sort()).toEqual(['hit', 'l2']);
	});

	it('never serves a site’s disk-tier file once a change dropped the site', async () => {
		const home: Case = { path: '/', host, fast: true };
		await waitForStored(l2Hub, home, true);
		const before = fastServed(l2Hub);
		const old = await send(home, false, l2Hub);
		expect(old.headers['x-render-cache']).toBe('l2');
		await vi.waitFor(() => expect(fastServed(l2Hub)).toBe(before + 1));
		const siteFiles = path.join(l2DataDir, 'page-cache', 'sites', site.id);
		expect(existsSync(siteFiles)).toBe(true);

		await updateHome(await (await superAdmin()).on(site), {
			heroTitle: 'Disk hero changed',
			intro: 'Fast intro',
			showEvents: 'on',
			showLinks: 'on'
		});
		// The server heard the change: the site's files left `sites/` (synchronously, with the
		// generation bump). From then on nothing of before may be served, not even once.
		await vi.waitFor(() => expect(existsSync(siteFiles)).toBe(false));
		const after = fastServed(l2Hub);
		const fresh = await send(home, false, l2Hub);
		expect(fresh.headers['x-render-cache']).toBe('miss');
		expect(fresh.body).toContain('Disk hero changed');
		expect(fastServed(l2Hub)).toBe(after);
		// And the new page is stored and served from disk by the fast path again.
		await waitForStored(l2Hub, home, true);
		const again = await send(home, false, l2Hub);
		expect(again.headers['x-render-cache']).toBe('l2');
		expect(again.body).toContain('Disk hero changed');
		await vi.waitFor(() => expect(fastServed(l2Hub)).toBe(after + 1));
	});

	it('goes the usual way again once a write drops the site, and serves the new page', async () => {
		await get(hub.origin, '/', host);
		const before = fastServed();
		expect((await get(hub.origin, '/', host)).headers['x-render-cache']).toBe('hit');
		await vi.waitFor(() => expect(fastServed()).toBeGreaterThan(before));
		await updateHome(await (await superAdmin()).on(site), {
			heroTitle: 'Fast hero changed',
			intro: 'Fast intro',
			showEvents: 'on',
			showLinks: 'on'
		});
		await vi.waitFor(async () => expect((await get(hub.origin, '/', host)).body).toContain('Fast hero changed'));
	});

	it('never answers a data request (client-side navigation) with the page’s cached HTML', async () => {
		for (const p of ['/events', '/']) {
			await get(hub.origin, p, host);
			expect((await get(hub.origin, p, host)).headers['x-render-cache'], p).toBe('hit');
			const dataPath = p === '/' ? '/__data.json' : `${p}/__data.json`;
			for (const q of ['', '?x-sveltekit-invalidated=01']) {
				const data = await get(hub.origin, dataPath + q, host);
				expect(data.status, dataPath + q).toBe(200);
				expect(data.headers['content-type'], dataPath + q).toMatch(/^application\/json/);
				expect(() => JSON.parse(data.body), dataPath + q).not.toThrow();
				expect(data.headers['x-render-cache'], dataPath + q).not.toBe('hit');
			}
		}
	});
});
