/**
 * The render cache's fast path (public-site/fast-path.ts) over real HTTP: a fresh hit answered
 * from Node's request before SvelteKit gives exactly what the handle chain gives from the same
 * entry — status, every header but `date`, body and log line — over every cacheable route,
 * encodings, HEAD, conditional requests and cookies; whatever it must not answer (a session
 * cookie, an unknown host, a redirect to the primary domain, the hub, a suspended site, several
 * Host headers, a miss) goes through SvelteKit. A test-only preload lets one server answer the
 * same request both ways (`x-test-slow-path: 1`) and reports what the fast path served.
 * Also: a SvelteKit data request (`/__data.json`, client-side navigation) never gets the page's
 * cached HTML.
 */
import { connect } from 'node:net';
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
		hub = await startHub({ env: { DATABASE_URL: tdb.url! }, nodeArgs: ['--import', PROBE] });
	}, 120_000);

	afterAll(async () => {
		await hub?.stop();
	});

	const fastServed = () => hub.output.join('').match(/^fast-path .*$/gm)?.length ?? 0;
	const requestLines = () =>
		hub.output
			.join('')
			.split('\n')
			.filter((l) => l.includes('"msg":"request"'))
			.map((l) => {
				const { t: _t, id: _id, ms: _ms, ...rest } = JSON.parse(l) as Record<string, unknown>;
				return rest;
			});
	const send = (c: Case, slow: boolean): Promise<HttpResult> =>
		c.twoHosts
			? twoHostRequest(c, slow)
			: request(hub.origin, c.path, c.host, {
					method: c.method ?? 'GET',
					headers: { ...(c.headers ?? {}), ...(slow ? { 'x-test-slow-path': '1' } : {}) }
				} satisfies RequestOptions);
	/** The request written by hand with two Host headers; the answer parsed just enough to compare. */
	const twoHostRequest = (c: Case, slow: boolean) =>
		new Promise<HttpResult>((resolve, reject) => {
			const socket = connect(hub.port, '127.0.0.1');
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

	function cases(etag: string): Case[] {
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
			{ path: '/', host: `${host}:${hub.port}`, fast: true, headers: browser },
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

	it('answers each warm request exactly as the handle chain does, and only what it may', async () => {
		const warm = await get(hub.origin, '/', host);
		const etag = (await get(hub.origin, '/', host)).headers.etag as string;
		expect(warm.status).toBe(200);
		expect(etag).toBeTruthy();
		const all = cases(etag);
		let compared = 0;
		for (const c of all) {
			const label = `${c.method ?? 'GET'} ${c.host} ${c.path} ${JSON.stringify(c.headers ?? {})}`;
			// Warm this variant (a miss stores it; HEAD of a miss is not stored, so GET first).
			await send({ ...c, method: 'GET' }, true);
			await send(c, true);
			const before = fastServed();
			const lines = requestLines().length;
			const fast = await send(c, false);
			const slow = await send(c, true);
			expect(comparable(fast), label).toEqual(comparable(slow));
			await vi.waitFor(() => expect(requestLines().length).toBeGreaterThanOrEqual(lines + 2));
			const [fastLine, slowLine] = requestLines().slice(lines, lines + 2);
			expect(fastLine, label).toEqual(slowLine);
			await vi.waitFor(() => expect(fastServed() - before, label).toBe(c.fast ? 1 : 0));
			if (c.fast) {
				expect(fast.headers['x-render-cache'], label).toBe('hit');
				expect(fast.headers['content-length'] ?? (fast.status === 304 ? 'none' : undefined), label).toBeDefined();
			}
			compared++;
		}
		expect(compared).toBe(all.length);
		// The statuses the comparison went over, so a broken set-up cannot pass it vacuously.
		const statuses = new Set(requestLines().map((l) => l.status));
		for (const s of [200, 301, 304, 404, 410]) expect(statuses, String(s)).toContain(s);
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
