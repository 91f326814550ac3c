/**
 * Two server processes on one PostgreSQL database, each with its own host cache: a domain change
 * reaches the other process within a second (NOTIFY), and a process whose LISTEN connection was
 * killed does not keep serving what it cached before, because it clears its cache when the
 * listener comes back (messages sent meanwhile are lost).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite, superAdmin } from '../support/factories';
import { db } from '../../src/lib/server/db';
import type { SiteRow } from '../../src/lib/server/queries/sites';
import { addSiteDomain, removeSiteDomain } from '../../src/lib/server/services/domains';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until `check` holds; returns how long it took (ms), or throws after `timeoutMs`. */
async function within(timeoutMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
	const started = performance.now();
	for (;;) {
		if (await check()) return performance.now() - started;
		if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
		await sleep(20);
	}
}

describe.runIf(inject('templateDatabase'))('two server processes on one database', () => {
	const tdb = useTestDatabase();
	let a: HubServer;
	let b: HubServer;
	let one: SiteRow;
	let two: SiteRow;
	let sql: postgres.Sql;

	beforeAll(async () => {
		one = await createSite({ slug: 'one', name: 'Site One' });
		two = await createSite({ slug: 'two', name: 'Site Two' });
		await createDomain(one.id, 'moving.example');
		[a, b] = await Promise.all([startHub({ env: { DATABASE_URL: tdb.url! } }), startHub({ env: { DATABASE_URL: tdb.url! } })]);
		sql = postgres(tdb.url!, { max: 1, onnotice: () => {} });
	});
	afterAll(async () => {
		await sql?.end({ timeout: 1 });
		await Promise.all([a?.stop(), b?.stop()]);
	});

	/** Which site a server maps `host` to: the domains are not primary, so it 301s to `<slug>.hub.test`. */
	const nameAt = async (server: HubServer, host: string) => {
		const r = await get(server.origin, '/', host);
		if (r.status === 404) return 'none';
		const m = /^http:\/\/(one|two)\.hub\.test\/$/.exec(String(r.headers.location));
		return r.status === 301 && m ? m[1] : `status ${r.status} ${r.headers.location}`;
	};
	/** The backend pid of a server's LISTEN connection (client.ts names it after the process). */
	const listenerPid = async (server: HubServer) => {
		const rows = await sql<{ pid: number; query: string }[]>`
			select pid, query from pg_stat_activity
			where datname = current_database() and application_name = ${`collective-hub listener ${server.process.pid}`}`;
		expect(rows).toHaveLength(1);
		expect(rows[0]!.query.toLowerCase()).toBe('listen "hub_changes"');
		return rows[0]!.pid;
	};

	it('a domain moved to another site is served by both processes within a second', async () => {
		// Both cache the current mapping (and an unknown host).
		for (const server of [a, b]) {
			expect(await nameAt(server, 'moving.example')).toBe('one');
			expect(await nameAt(server, 'arriving.example')).toBe('none');
			// Now cached: answered without a query.
			expect((await get(server.origin, '/', 'moving.example')).headers['x-db-queries']).toBe('0');
		}
		// The change, made by a super admin through the services (which NOTIFY with the commit).
		const admin = await superAdmin();
		const [row] = await db().query.siteDomain.findMany({ where: (d, { eq }) => eq(d.hostname, 'moving.example') });
		await removeSiteDomain(await admin.on(one), { id: row!.id, confirm: 'yes' });
		await addSiteDomain(await admin.on(two), { hostname: 'moving.example' }, { attachVerified: true });
		await addSiteDomain(await admin.on(two), { hostname: 'arriving.example' }, { attachVerified: true });
		for (const server of [a, b]) {
			const ms = await within(1_000, 'the moved domain', async () => (await nameAt(server, 'moving.example')) === 'two');
			await within(1_000, 'the new domain', async () => (await nameAt(server, 'arriving.example')) === 'two');
			expect(ms).toBeLessThan(1_000);
		}
	});

	it('a process whose listener was killed does not keep its stale mapping once it listens again', async () => {
		for (const server of [a, b]) expect(await nameAt(server, 'moving.example')).toBe('two');
		const before = await listenerPid(a);
		const linesWith = (text: string) =>
			a.output
				.join('')
				.split('\n')
				.filter((l) => l.includes(text)).length;
		const listening = (pid: number) => async () => {
			const rows = await sql`select pid from pg_stat_activity where application_name = ${`collective-hub listener ${a.process.pid}`}`;
			return rows.length === 1 && rows[0]!.pid !== pid;
		};

		// A reconnect after which no change was made keeps the caches: nothing to re-render.
		const keptBefore = linesWith('caches kept');
		await sql`select pg_terminate_backend(${before})`;
		await within(10_000, 'A to listen again', listening(before));
		await within(10_000, 'A to say it kept its caches', async () => linesWith('caches kept') > keptBefore);
		const second = await listenerPid(a);
		const clearedBefore = linesWith('caches cleared');

		// Kill A's listener and change the mapping in the same transaction. A message sent while the
		// listener is down is lost; to make that loss certain rather than a race with the reconnect,
		// this change takes its change number (as every write does) but sends no message at all, so
		// only the reconnect's comparison of change numbers can tell A to forget.
		await sql.begin(async (tx) => {
			const [row] = await tx<{ killed: boolean }[]>`select pg_terminate_backend(${second}) as killed`;
			expect(row?.killed).toBe(true);
			await tx`update site_domain set site_id = ${one.id} where hostname = 'moving.example'`;
			await tx`select nextval('hub_change_seq')`;
		});

		await within(10_000, 'A to listen again', listening(second));
		await within(10_000, 'A to say it cleared its caches', async () => linesWith('caches cleared') > clearedBefore);
		expect(await nameAt(a, 'moving.example')).toBe('one');
		// B heard nothing (its listener was fine and no message was sent): it still serves what it
		// cached, which is what A would do without the clear on reconnect.
		expect(await nameAt(b, 'moving.example')).toBe('two');

		// A's new listener receives changes again.
		const [row] = await db().query.siteDomain.findMany({ where: (d, { eq }) => eq(d.hostname, 'arriving.example') });
		await removeSiteDomain(await (await superAdmin()).on(two), { id: row!.id, confirm: 'yes' });
		for (const server of [a, b])
			await within(1_000, 'the removed domain', async () => (await nameAt(server, 'arriving.example')) === 'none');
	});
});
