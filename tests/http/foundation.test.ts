/**
 * The built server on its embedded defaults and on PostgreSQL: health endpoints, start-up
 * refusal on a bad environment, demo seed on an empty embedded database.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createSite } from '../support/factories';

describe('embedded default (no DATABASE_URL)', () => {
	let hub: HubServer;
	beforeAll(async () => {
		hub = await startHub({ env: { SEED_DEMO: undefined, PLATFORM_DOMAIN: 'localhost', PUBLIC_SCHEME: undefined }, timeout: 60_000 });
	});
	afterAll(() => hub?.stop());

	it('is healthy and ready', async () => {
		expect((await get(hub.origin, '/healthz', '10.0.0.5')).status).toBe(200);
		expect((await get(hub.origin, '/readyz', '127.0.0.1')).status).toBe(200);
	});

	it('seeds and serves the demo collectives on <slug>.localhost', async () => {
		for (const [slug, name] of [
			['bad-movies-theater', 'Bad Movies Theater'],
			['paper-cuts', 'Paper Cuts Zine Collective'],
			['night-market', 'Night Market Sessions']
		]) {
			const r = await get(hub.origin, '/', `${slug}.localhost:${hub.port}`);
			expect(r.status).toBe(200);
			expect(r.body).toContain(name);
		}
	});

	it('answers the hub on the platform domain and 404 for unknown hosts', async () => {
		expect((await get(hub.origin, '/', `localhost:${hub.port}`)).body).toContain('Collective Hub');
		const r = await get(hub.origin, '/', 'nobody.example');
		expect(r.status).toBe(404);
		expect(r.body).toContain('No site is served at this address');
	});
});

describe.runIf(inject('templateDatabase'))('PostgreSQL', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	beforeAll(async () => {
		await createSite({ slug: 'pg-site', name: 'Postgres Site' });
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
	});
	afterAll(() => hub?.stop());

	it('serves a site by subdomain of the platform domain', async () => {
		const r = await get(hub.origin, '/', 'pg-site.hub.test');
		expect(r.status).toBe(200);
		expect(r.body).toContain('Postgres Site');
	});

	it('stops at start-up with one line naming a bad variable', async () => {
		const child = spawn(process.execPath, ['build/index.js'], {
			env: { PATH: process.env.PATH, PORT: '0', DATABASE_URL: 'mysql://root:hunter2@db/x' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
		expect(code).toBe(1);
		expect(stderr.trim()).toBe('Invalid environment: DATABASE_URL must start with postgres:// or postgresql://');
		expect(stderr).not.toContain('hunter2');
	});
});
