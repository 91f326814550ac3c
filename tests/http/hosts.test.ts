/**
 * Host → site resolution through the built server, with real Host headers: custom domains,
 * platform subdomains, redirects of non-primary names, unknown and pending hosts, suspended and
 * deleted sites, the SITE_SLUG fallback (local hosts only), garbage Host headers (4xx, never
 * 5xx), health checks whatever the Host, and TRUST_PROXY.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite } from '../support/factories';
import { db } from '../../src/lib/server/db';
import { site } from '../../src/lib/server/db/schema';
import { setPrimaryDomain, setSiteStatus } from '../../src/lib/server/queries/sites';

/** Send raw bytes (any Host header, or none) and read the status code. */
function rawStatus(port: number, head: Buffer | string): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		let data = '';
		socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
		socket.on('connect', () => socket.write(head));
		socket.on('data', (chunk) => {
			data += chunk.toString('latin1');
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
			if (m) {
				resolve(Number(m[1]));
				socket.destroy();
			}
		});
		socket.on('error', reject);
		socket.on('close', () => reject(new Error(`closed without a status line: ${JSON.stringify(data.slice(0, 100))}`)));
	});
}
const withHost = (path: string, host: Buffer | string) =>
	Buffer.concat([
		Buffer.from(`GET ${path} HTTP/1.1\r\nHost: `),
		Buffer.from(host as string, 'latin1'),
		Buffer.from('\r\nConnection: close\r\n\r\n')
	]);

/**
 * Host headers nobody should be served on. `app`: adapter-node turns it into a URL with the
 * request's own path, so the app answers (/healthz included); otherwise adapter-node answers 400
 * itself, or the header rewrites the path (`x/admin#`), and the app's answer is a 4xx.
 */
const GARBAGE: { host: string; app: boolean }[] = [
	{ host: '10.0.0.5', app: true },
	{ host: '10.0.0.5:3000', app: true },
	{ host: '[2001:db8::1]', app: true },
	{ host: '[::ffff:127.0.0.2]', app: true },
	{ host: '127.0.0.2', app: true },
	{ host: 'films.example:0', app: true },
	{ host: 'films.example..', app: true },
	{ host: 'ex_ample.com', app: true },
	{ host: 'xn--zz.example', app: true },
	{ host: 'a'.repeat(64) + '.example', app: true },
	{ host: `${'a'.repeat(63)}.`.repeat(4) + 'example', app: true },
	{ host: 'films.example,hub.test', app: true },
	{ host: '*.hub.test', app: true },
	{ host: 'films%2eexample', app: true },
	{ host: '\u00ff\u00fe.example', app: true },
	{ host: 'x'.repeat(5000), app: true },
	// The URL parser takes these as credentials; Request refuses URLs with credentials.
	{ host: 'a@films.example', app: false },
	{ host: 'user:pw@films.example', app: false },
	{ host: '', app: false },
	{ host: ' ', app: false },
	{ host: 'films example', app: false },
	{ host: 'films.example:80:80', app: false },
	{ host: 'films.example:99999', app: false },
	{ host: 'films.example:http', app: false },
	{ host: '[::1', app: false },
	{ host: '[::1]x', app: false },
	{ host: 'films.example/admin#', app: false },
	{ host: 'films.example?x', app: false },
	{ host: 'films.example#', app: false },
	{ host: 'a<b>.example', app: false },
	{ host: 'bücher\u0000.example', app: false }
];

describe.runIf(inject('templateDatabase'))('host resolution over HTTP', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let pendingToken = '';

	beforeAll(async () => {
		const alpha = await createSite({ slug: 'alpha', name: 'Alpha Cinema' });
		const films = await createDomain(alpha.id, 'films.example');
		await createDomain(alpha.id, 'www.films.example');
		await setPrimaryDomain(alpha.id, films.id);
		pendingToken = (await createDomain(alpha.id, 'pending.example', false)).verificationToken;
		await createSite({ slug: 'beta', name: 'Beta Zines' });
		const gamma = await createSite({ slug: 'gamma', name: 'Gamma Nights' });
		await setPrimaryDomain(gamma.id, (await createDomain(gamma.id, 'gamma.example')).id);
		await setSiteStatus(gamma.id, 'suspended');
		const delta = await createSite({ slug: 'delta', name: 'Delta Gone' });
		await createDomain(delta.id, 'delta.example');
		await db().update(site).set({ deletedAt: new Date() }).where(eq(site.id, delta.id));
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, SITE_SLUG: 'beta' } });
	});
	afterAll(() => hub?.stop());

	const at = (host: string, path = '/') => get(hub.origin, path, host);

	it('serves a site on its primary custom domain, in any spelling of it', async () => {
		for (const host of ['films.example', 'FILMS.Example', 'films.example.', `films.example:${hub.port}`]) {
			const r = await at(host);
			expect(r.status, host).toBe(200);
			expect(r.body).toContain('Alpha Cinema');
			expect(r.body).not.toContain('Beta Zines');
		}
	});

	it('serves a site on <slug>.<PLATFORM_DOMAIN>', async () => {
		const r = await at('beta.hub.test');
		expect(r.status).toBe(200);
		expect(r.body).toContain('Beta Zines');
		expect(r.body).not.toContain('Alpha Cinema');
	});

	it('redirects a non-primary name to the primary one with 301, path and query kept', async () => {
		const cases: [string, string, string][] = [
			['www.films.example', '/events?page=2&q=a%20b', 'http://films.example/events?page=2&q=a%20b'],
			[`www.films.example:${hub.port}`, '/events?page=2', `http://films.example:${hub.port}/events?page=2`],
			['alpha.hub.test', '/', 'http://films.example/'],
			['alpha.hub.test', '/caf%C3%A9/x?y=%2F', 'http://films.example/caf%C3%A9/x?y=%2F'],
			['ALPHA.HUB.TEST.', '/admin', 'http://films.example/admin'],
			// A path that looks like a network path stays a path on the primary host.
			['www.films.example', '//evil.example/steal', 'http://films.example//evil.example/steal']
		];
		for (const [host, path, location] of cases) {
			const r = await at(host, path);
			expect(r.status, `${host}${path}`).toBe(301);
			expect(r.headers.location, `${host}${path}`).toBe(location);
		}
	});

	it('answers an unknown host with the plain 404, briefly cached, and a query only the first time', async () => {
		for (const host of ['nobody.example', 'nobody.hub.test', 'x.alpha.hub.test', 'delta.example', 'delta.hub.test', '10.0.0.5']) {
			const r = await at(host);
			expect(r.status, host).toBe(404);
			expect(r.body).toContain('No site is served at this address');
			expect(r.headers['cache-control']).toBe('public, max-age=60');
			for (const secret of ['Alpha', 'Beta', 'Delta', 'svelte', 'Error']) expect(r.body).not.toContain(secret);
			expect(r.body).not.toMatch(/\bat \S+:\d+:\d+/); // no stack trace
		}
		const hosts = Array.from({ length: 10 }, (_, i) => `flood-${i}.example`);
		const first = await Promise.all(hosts.map((h) => at(h)));
		expect(first.map((r) => r.headers['x-db-queries'])).toEqual(hosts.map(() => '1'));
		const again = await Promise.all(hosts.map((h) => at(h)));
		expect(again.map((r) => r.headers['x-db-queries'])).toEqual(hosts.map(() => '0'));
	});

	it('does not serve an unverified domain, except its verification token', async () => {
		const home = await at('pending.example');
		expect(home.status).toBe(404);
		expect(home.body).toContain('No site is served at this address');
		const proof = await at('pending.example', `/.well-known/collective-hub/${pendingToken}`);
		expect(proof.status).toBe(200);
		expect(proof.body).toBe(pendingToken);
		expect((await at('pending.example', '/.well-known/collective-hub/wrong-token')).status).toBe(404);
		// The token is answered by its own domain only.
		expect((await at('nobody.example', `/.well-known/collective-hub/${pendingToken}`)).status).toBe(404);
		expect((await at('films.example', `/.well-known/collective-hub/${pendingToken}`)).body).not.toBe(pendingToken);
	});

	it('answers 410 for a suspended site, and leaves sign-in and admin paths to their routes', async () => {
		// Its other names still redirect to the primary one first.
		expect((await at('gamma.hub.test', '/')).headers.location).toBe('http://gamma.example/');
		for (const host of ['gamma.example', 'gamma.localhost']) {
			const r = await at(host, '/');
			expect(r.status, host).toBe(410);
			expect(r.body).toContain('Gamma Nights is paused');
			expect((await at(host, '/events')).status).toBe(410);
		}
		for (const path of ['/admin', '/login', '/api/auth/session']) {
			const r = await at('gamma.example', path);
			expect(r.status, path).not.toBe(410);
			expect(r.status, path).toBeLessThan(500);
		}
	});

	it('serves SITE_SLUG on local hosts only, never on a public name', async () => {
		for (const host of [
			'localhost',
			`localhost:${hub.port}`,
			'127.0.0.1',
			`127.0.0.1:${hub.port}`,
			'[::1]',
			`[::1]:${hub.port}`,
			'nobody.localhost'
		]) {
			const r = await at(host);
			expect(r.status, host).toBe(200);
			expect(r.body, host).toContain('Beta Zines');
		}
		for (const host of ['beta.example', 'localhost.example', 'nobody.hub.test', '10.0.0.1', 'intranet']) {
			const r = await at(host);
			expect(r.status, host).toBe(404);
			expect(r.body).not.toContain('Beta Zines');
		}
	});

	it('serves every site on <slug>.localhost by slug, without redirecting to its primary name', async () => {
		const r = await at(`alpha.localhost:${hub.port}`);
		expect(r.status).toBe(200);
		expect(r.body).toContain('Alpha Cinema');
		expect((await at('gamma.localhost')).status).toBe(410);
	});

	it('serves the hub on PLATFORM_DOMAIN, trailing dot and case aside', async () => {
		for (const host of ['hub.test', 'HUB.test.', `hub.test:${hub.port}`]) {
			const r = await at(host);
			expect(r.status, host).toBe(200);
			expect(r.body).toContain('data-hub');
		}
	});

	it('answers garbage Host headers with 4xx, never 5xx and never a site', async () => {
		for (const { host } of GARBAGE) {
			const status = await rawStatus(hub.port, withHost('/', host));
			expect(status, JSON.stringify(host.slice(0, 80))).toBeGreaterThanOrEqual(400);
			expect(status, JSON.stringify(host.slice(0, 80))).toBeLessThan(500);
		}
		// No Host at all, on HTTP/1.1 and on HTTP/1.0; two Host headers.
		for (const head of [
			'GET / HTTP/1.1\r\nConnection: close\r\n\r\n',
			'GET / HTTP/1.0\r\n\r\n',
			'GET / HTTP/1.1\r\nHost: films.example\r\nHost: beta.hub.test\r\nConnection: close\r\n\r\n'
		]) {
			const status = await rawStatus(hub.port, head);
			expect(status, JSON.stringify(head)).toBeGreaterThanOrEqual(400);
			expect(status, JSON.stringify(head)).toBeLessThan(500);
		}
	});

	it('answers /healthz and /readyz whatever the Host that reaches the app, and never 5xx', async () => {
		for (const path of ['/healthz', '/readyz']) {
			for (const { host, app } of [...GARBAGE, { host: 'nobody.example', app: true }, { host: '172.17.0.2:3000', app: true }]) {
				const status = await rawStatus(hub.port, withHost(path, host));
				const label = `${path} ${JSON.stringify(host.slice(0, 80))}`;
				if (app) expect(status, label).toBe(200);
				else expect(status >= 400 && status < 500, `${label}: ${status}`).toBe(true);
			}
		}
	});

	it('ignores X-Forwarded-Host without TRUST_PROXY', async () => {
		const r = await get(hub.origin, '/', 'films.example', { 'x-forwarded-host': 'beta.hub.test' });
		expect(r.status).toBe(200);
		expect(r.body).toContain('Alpha Cinema');
	});

	describe('behind a proxy (TRUST_PROXY=true, HOST_HEADER=x-forwarded-host)', () => {
		let proxied: HubServer;
		beforeAll(async () => {
			proxied = await startHub({ env: { DATABASE_URL: tdb.url!, TRUST_PROXY: 'true', HOST_HEADER: 'x-forwarded-host' } });
		});
		afterAll(() => proxied?.stop());
		const via = (forwarded: string | null, path = '/') =>
			get(proxied.origin, path, 'app:3000', forwarded === null ? {} : { 'x-forwarded-host': forwarded });

		it('resolves the forwarded host, for sites and for the hub alike', async () => {
			const site = await via('films.example');
			expect(site.status).toBe(200);
			expect(site.body).toContain('Alpha Cinema');
			// The hub's routes are chosen from the same header, so the hub works behind a proxy
			// that rewrites Host.
			const hubPage = await via('hub.test');
			expect(hubPage.status).toBe(200);
			expect(hubPage.body).toContain('data-hub');
			const moved = await via('www.films.example', '/events?x=1');
			expect(moved.status).toBe(301);
			expect(moved.headers.location).toBe('http://films.example/events?x=1');
		});

		it('falls back to Host when the proxy sent no X-Forwarded-Host, and refuses a bad one', async () => {
			const r = await get(proxied.origin, '/', 'beta.hub.test');
			expect(r.status).toBe(200);
			expect(r.body).toContain('Beta Zines');
			const bad = await via('films.example@evil.example');
			expect(bad.status).toBeGreaterThanOrEqual(400);
			expect(bad.status).toBeLessThan(500);
			expect(bad.body).not.toContain('Alpha Cinema');
		});
	});

	it('refuses to start with TRUST_PROXY but no HOST_HEADER, naming the variable', async () => {
		const child = spawn(process.execPath, ['build/index.js'], {
			env: { PATH: process.env.PATH, PORT: '0', DATABASE_URL: tdb.url!, TRUST_PROXY: 'true' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
		expect(code).toBe(1);
		expect(stderr.trim()).toMatch(/^Invalid environment: TRUST_PROXY must come with HOST_HEADER=x-forwarded-host/);
	});
});
