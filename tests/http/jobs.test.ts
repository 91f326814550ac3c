/**
 * The roles of one build, as processes: on PostgreSQL a web process and a worker process apart
 * (the worker answers only its health checks; its minute job verifies a pending domain by itself
 * over real HTTP against the web process, which then serves it); on the embedded PGlite one
 * process with ROLE=all (the README demo) runs the scheduled jobs itself.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { FAST_JOBS_ENV, get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite } from '../support/factories';
import { db } from '../../src/lib/server/db';

describe.runIf(inject('templateDatabase'))('ROLE=web and ROLE=worker on one PostgreSQL database', () => {
	const tdb = useTestDatabase();
	let web: HubServer;
	let worker: HubServer;
	let demo: HubServer;
	let unverifiedStatus: number;

	beforeAll(async () => {
		const site = await createSite({ slug: 'cinema', name: 'Cinema' });
		await createDomain(site.id, 'films.example', false);
		// Due at once rather than a minute after it was added.
		await db().execute(sql`update site_domain set next_check_at = now() where hostname = 'films.example'`);
		// Schedules checked every second: the minute job's run is not half a minute behind its time.
		web = await startHub({ env: { DATABASE_URL: tdb.url!, ROLE: 'web', ...FAST_JOBS_ENV } });
		// Before any worker runs (it may verify the domain while the demo below is still starting).
		unverifiedStatus = (await get(web.origin, '/', 'films.example')).status;
		[worker, demo] = await Promise.all([
			startHub({ env: { DATABASE_URL: tdb.url!, ROLE: 'worker', DOMAIN_VERIFY_CONNECT: `127.0.0.1:${web.port}`, ...FAST_JOBS_ENV } }),
			// The README demo: embedded database, one process doing everything.
			startHub({ env: { ROLE: undefined, SEED_DEMO: 'true', ...FAST_JOBS_ENV }, timeout: 60_000 })
		]);
	}, 120_000);
	afterAll(async () => {
		await Promise.all([web?.stop(), worker?.stop(), demo?.stop()]);
	});

	it('worker answers /healthz and /readyz and nothing else', async () => {
		expect((await get(worker.origin, '/healthz', 'cinema.hub.test')).status).toBe(200);
		expect((await get(worker.origin, '/readyz', 'cinema.hub.test')).status).toBe(200);
		expect((await get(worker.origin, '/', 'cinema.hub.test')).status).toBe(404);
		expect((await get(worker.origin, '/admin', 'hub.test')).status).toBe(404);
		// Said in the asker's language, like every plain page.
		const german = await get(worker.origin, '/', 'cinema.hub.test', { 'accept-language': 'de-AT, de;q=0.9' });
		expect(german.body).toContain('<html lang="de"');
		expect(german.body).toContain('Dieser Prozess erledigt nur Aufgaben im Hintergrund.');
		expect((await get(web.origin, '/', 'cinema.hub.test')).status).toBe(200);
	});

	it('the worker verifies a pending domain by itself; the web process then serves it', { timeout: 100_000 }, async () => {
		expect(unverifiedStatus).toBe(404);
		await expect
			.poll(
				async () => {
					const rows = (await db().execute(sql`select verified_at from site_domain where hostname = 'films.example'`)) as unknown as {
						verified_at: Date | null;
					}[];
					return rows[0]?.verified_at !== null;
				},
				// The schedules are checked every second (FAST_JOBS_ENV): far past that, the clocks were not applied.
				{ timeout: 30_000, interval: 500 }
			)
			.toBe(true);
		// Served: a verified domain that is not the main address forwards to it.
		await expect
			.poll(async () => {
				const r = await get(web.origin, '/', 'films.example');
				return `${r.status} ${r.headers.location}`;
			})
			.toBe('301 http://cinema.hub.test/');
		expect(worker.output.join('')).toContain('"job":"domains.recheck"');
		expect(web.output.join('')).not.toContain('"job":"domains.recheck"');
		// A verified domain keeps answering its token, so the daily check can see DNS still points here.
		const [row] = (await db().execute(
			sql`select verification_token as token from site_domain where hostname = 'films.example'`
		)) as unknown as {
			token: string;
		}[];
		expect((await get(web.origin, `/.well-known/collective-hub/${row!.token}`, 'films.example')).body).toBe(row!.token);
	});

	it('on PGlite with ROLE=all, one process runs the scheduled jobs', { timeout: 100_000 }, async () => {
		expect(demo.output.join('')).toContain('"database":"pglite"');
		expect(demo.output.join('')).toContain('"role":"all"');
		await expect
			.poll(() => demo.output.join('').includes('"msg":"job done","job":"domains.recheck"'), { timeout: 30_000, interval: 500 })
			.toBe(true);
		expect((await get(demo.origin, '/readyz', 'localhost')).status).toBe(200);
	});
});
