/**
 * Production deployment pieces: the Caddy on-demand TLS ask endpoint, the Caddyfile (adapted by
 * the real `caddy` binary), the Compose file, and two replicas migrating one fresh database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite } from '../support/factories';
import { envSchema } from '../../src/lib/server/env';
import { shippedMigrationCount } from '../../src/lib/server/db/migrate';
import { createDatabase, dropDatabase, uniqueName } from '../support/postgres';

const hasPostgres = Boolean(inject('templateDatabase'));

describe.runIf(hasPostgres)('TLS ask endpoint', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	const SECRET = 'ask-secret-0123456789';
	beforeAll(async () => {
		const s = await createSite({ slug: 'asker', name: 'Asker' });
		await createDomain(s.id, 'verified.example', true);
		await createDomain(s.id, 'pending.example', false);
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, TLS_ASK_SECRET: SECRET } });
	});
	afterAll(() => hub?.stop());

	const ask = (domain: string, secret = SECRET, host = '10.0.0.1') =>
		get(hub.origin, `/internal/tls-ask?secret=${encodeURIComponent(secret)}&domain=${encodeURIComponent(domain)}`, host);

	it('says yes only for names we serve', async () => {
		expect((await ask('verified.example')).status).toBe(200);
		expect((await ask('VERIFIED.example.')).status).toBe(200);
		expect((await ask('asker.hub.test')).status).toBe(200);
		expect((await ask('hub.test')).status).toBe(200);
		expect((await ask('pending.example')).status).toBe(404);
		expect((await ask('unknown.example')).status).toBe(404);
		expect((await ask('nosuchsite.hub.test')).status).toBe(404);
		expect((await ask('localhost')).status).toBe(404);
	});

	it('refuses malformed names with 400 and a wrong or missing secret with 403', async () => {
		for (const bad of ['', 'exa mple.com', 'a..b', 'foo@bar.example', 'verified.example:443', '-x.example', 'x'.repeat(300)]) {
			expect((await ask(bad)).status, bad).toBe(400);
		}
		expect((await get(hub.origin, '/internal/tls-ask?domain=hub.test', '10.0.0.1')).status).toBe(403);
		expect((await ask('hub.test', 'wrong-secret-0123456789')).status).toBe(403);
	});

	it('2,000 asks over 400 random hosts (each asked five times) cost at most one database query per distinct host', async () => {
		const hosts = Array.from({ length: 400 }, (_, i) =>
			i % 2 ? `r${i}-${Math.random().toString(36).slice(2, 8)}.example` : `r${i}x${Math.random().toString(36).slice(2, 8)}.hub.test`
		);
		let queries = 0;
		let yes = 0;
		const queue = Array.from({ length: 2_000 }, (_, i) => hosts[i % hosts.length]!);
		const workers = Array.from({ length: 16 }, async () => {
			for (let h = queue.pop(); h !== undefined; h = queue.pop()) {
				const r = await ask(h);
				queries += Number(r.headers['x-db-queries'] ?? 'NaN');
				if (r.status === 200) yes++;
			}
		});
		await Promise.all(workers);
		expect(yes).toBe(0);
		expect(Number.isFinite(queries)).toBe(true);
		expect(queries).toBeLessThanOrEqual(hosts.length);
	});
});

describe('Caddyfile and Compose file', () => {
	it('the Caddyfile adapts with the real caddy binary and asks the app before any certificate', () => {
		const which = spawnSync('caddy', ['version']);
		if (which.error) {
			if (process.env.CI === 'true') throw new Error('caddy is not installed');
			console.warn('[tests] caddy not installed: Caddyfile check skipped');
			return;
		}
		const out = execFileSync('caddy', ['adapt', '--config', 'deploy/Caddyfile', '--adapter', 'caddyfile'], {
			env: { ...process.env, PLATFORM_DOMAIN: 'hub.example.org', ACME_EMAIL: 'ops@example.org', TLS_ASK_SECRET: 's3cr3t' },
			stdio: ['ignore', 'pipe', 'pipe']
		}).toString();
		const config = JSON.parse(out);
		const ask = config.apps.tls.automation.on_demand.permission?.endpoint ?? config.apps.tls.automation.on_demand.ask;
		expect(ask).toBe('http://app:3000/internal/tls-ask?secret=s3cr3t');
		const text = JSON.stringify(config.apps.http);
		expect(text).toContain('"hub.example.org"');
		expect(text).toContain('"*.hub.example.org"');
		expect(text).toContain('"/internal/*"');
		// Domain verification reaches the app over plain HTTP; the rest is redirected to HTTPS.
		expect(text).toContain('"/.well-known/collective-hub/*"');
		const policies = config.apps.tls.automation.policies as { on_demand?: boolean }[];
		expect(policies.some((p) => p.on_demand)).toBe(true);
	});

	it('the Compose file wires app, worker, PostgreSQL, MinIO and Caddy with known settings only', () => {
		// `merge`: the worker takes the app's settings with a YAML merge key, as Compose reads it.
		const compose = parseYaml(readFileSync('docker-compose.yml', 'utf8'), { merge: true });
		expect(Object.keys(compose.services).sort()).toEqual(['app', 'caddy', 'minio', 'minio-bucket', 'postgres', 'worker']);
		const worker = compose.services.worker;
		expect(worker.build).toBe('.');
		expect(worker.environment).toEqual({ ...compose.services.app.environment, ROLE: 'worker' });
		expect(compose.services.app.environment.ROLE).toBe('web');
		const app = compose.services.app;
		expect(app.build).toBe('.');
		expect(app.depends_on.postgres.condition).toBe('service_healthy');
		expect(app.depends_on['minio-bucket'].condition).toBe('service_completed_successfully');
		expect(app.ports).toBeUndefined();
		const adapterNode = ['PROTOCOL_HEADER', 'ADDRESS_HEADER', 'XFF_DEPTH', 'BODY_SIZE_LIMIT', 'PORT', 'HOST'];
		const known = new Set([...Object.keys(envSchema.in.shape), ...adapterNode]);
		for (const key of Object.keys(app.environment)) expect(known.has(key), `${key} is a known setting`).toBe(true);
		expect(app.environment.ORIGIN).toBeUndefined();
		expect(compose.services.caddy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
		expect(compose.services.postgres.healthcheck).toBeDefined();
		// Every named volume used is declared.
		const declared = new Set(Object.keys(compose.volumes));
		for (const svc of Object.values(compose.services) as { volumes?: string[] }[]) {
			for (const v of svc.volumes ?? []) {
				const name = v.split(':')[0]!;
				if (!name.startsWith('.')) expect(declared.has(name), name).toBe(true);
			}
		}
	});

	it('the Dockerfile runs as non-root with a health check and keeps the migrations', () => {
		const dockerfile = readFileSync('Dockerfile', 'utf8');
		expect(dockerfile).toMatch(/^FROM node:24-slim AS runtime$/m);
		expect(dockerfile).toMatch(/^USER hub$/m);
		expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/readyz/m);
		expect(dockerfile).toMatch(/^COPY .*migrations \.\/migrations$/m);
		expect(dockerfile).toMatch(/npm prune --omit=dev/);
		expect(dockerfile).toMatch(/^CMD \["node", "build"\]$/m);
	});
});

describe.runIf(hasPostgres)('two replicas on one fresh database', () => {
	it('both become ready with RUN_MIGRATIONS=true and every migration is applied once', async () => {
		const name = uniqueName('hub_test');
		const url = await createDatabase(name);
		const replicas: HubServer[] = [];
		try {
			replicas.push(...(await Promise.all([1, 2].map(() => startHub({ env: { DATABASE_URL: url, RUN_MIGRATIONS: 'true' } })))));
			for (const r of replicas) expect((await get(r.origin, '/readyz', 'localhost')).status).toBe(200);
			const sql = postgres(url, { max: 1, onnotice: () => {} });
			const rows = await sql`select hash from drizzle.__drizzle_migrations`;
			await sql.end();
			expect(rows.length).toBe(shippedMigrationCount());
			expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
		} finally {
			await Promise.all(replicas.map((r) => r.stop()));
			await dropDatabase(name);
		}
	});
});

describe.runIf(hasPostgres)('a replica on a database without its migrations', () => {
	it('answers pages with the plain 503 (not 500) until another runner applies them, then serves', { timeout: 60_000 }, async () => {
		const name = uniqueName('hub_test');
		const url = await createDatabase(name);
		let waiting: HubServer | undefined;
		let migrator: HubServer | undefined;
		try {
			waiting = await startHub({ env: { DATABASE_URL: url, RUN_MIGRATIONS: 'false' }, waitReady: false });
			for (const [path, host] of [
				['/', 'hub.test'],
				['/', 'some-site.hub.test'],
				['/events', 'unknown.example'],
				['/admin', 'hub.test']
			] as const) {
				const started = performance.now();
				const r = await get(waiting.origin, path, host);
				expect(r.status, `${host}${path}`).toBe(503);
				expect(r.body).toContain('Temporarily unavailable');
				expect(performance.now() - started).toBeLessThan(1000);
			}
			expect((await get(waiting.origin, '/readyz', 'localhost')).status).toBe(503);
			expect((await get(waiting.origin, '/healthz', 'localhost')).status).toBe(200);
			// Another replica applies them; this one notices within a few seconds.
			migrator = await startHub({ env: { DATABASE_URL: url, RUN_MIGRATIONS: 'true' } });
			await expect.poll(async () => (await get(waiting!.origin, '/', 'hub.test')).status, { timeout: 10_000, interval: 200 }).toBe(200);
			expect((await get(waiting.origin, '/readyz', 'localhost')).status).toBe(200);
		} finally {
			await Promise.all([waiting?.stop(), migrator?.stop()]);
			await dropDatabase(name);
		}
	});
});
