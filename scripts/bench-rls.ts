/**
 * What row-level security costs a read: the public "upcoming events" query of one site among
 * 200 (40 events each), run three ways in one interleaved run on PostgreSQL:
 *
 *   bare       the pool, autocommit (how public pages read: warm pages run no query at all)
 *   tx         inside a transaction, no site scope (BEGIN … COMMIT round trips only)
 *   siteRead   inside a site-scoped transaction: set_config(role hub_site, app.site_id), the
 *              policies of migration 0003 applied (how services read and every write runs)
 *
 *   npx tsx scripts/bench-rls.ts [iterations per round, default 2000]
 *
 * Needs PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432); makes and drops its own database.
 * Prints the median per-query time of each way and the ratios to `bare`; read the ratios.
 */
import postgres from 'postgres';
import { connectPostgres } from '../src/lib/server/db/client';
import { migratePostgresUrl } from '../src/lib/server/db/migrate';
import { siteRead, transaction, useDatabase } from '../src/lib/server/db';
import { createSite } from '../src/lib/server/queries/sites';
import { createEvent, listUpcomingEvents } from '../src/lib/server/queries/events';

const ITERATIONS = Number(process.argv[2] ?? 2000);
const ROUNDS = 7;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const name = `hub_bench_rls_${Date.now().toString(36)}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${name}"`);
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
const database = connectPostgres(url, { max: 4 });
try {
	await migratePostgresUrl(url);
	useDatabase(database);
	const now = new Date();
	const siteIds: string[] = [];
	for (let s = 0; s < 200; s++) {
		const site = await createSite({ slug: `bench-${s}`, name: `Bench ${s}`, timezone: 'UTC' });
		siteIds.push(site.id);
		for (let e = 0; e < 40; e++) {
			await createEvent(site.id, {
				slug: `event-${e}`,
				title: `Event ${e}`,
				startsAt: new Date(now.getTime() + (e - 10) * 86_400_000),
				status: 'published'
			});
		}
	}
	const target = siteIds[117]!;
	const ways: Record<string, () => Promise<unknown>> = {
		bare: () => listUpcomingEvents(target, now),
		tx: () => transaction(() => listUpcomingEvents(target, now)),
		siteRead: () => siteRead(target, () => listUpcomingEvents(target, now))
	};
	// Same answer every way: the policy filters nothing the WHERE clause keeps.
	const counts = await Promise.all(Object.values(ways).map(async (run) => ((await run()) as unknown[]).length));
	if (new Set(counts).size !== 1 || counts[0] === 0) throw new Error(`the ways disagree: ${counts.join(', ')}`);

	const times: Record<string, number[]> = { bare: [], tx: [], siteRead: [] };
	for (let round = 0; round < ROUNDS; round++) {
		for (const [way, run] of Object.entries(ways)) {
			const started = performance.now();
			for (let i = 0; i < ITERATIONS; i++) await run();
			times[way]!.push(((performance.now() - started) * 1000) / ITERATIONS);
		}
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
	const base = median(times.bare!);
	console.log(`${ITERATIONS} queries × ${ROUNDS} interleaved rounds, ${counts[0]} rows each`);
	for (const [way, xs] of Object.entries(times)) {
		console.log(`${way.padEnd(9)} ${median(xs).toFixed(0).padStart(6)} µs/query   ×${(median(xs) / base).toFixed(2)} of bare`);
	}
	console.log(
		`row-level security itself (siteRead vs tx): ×${(median(times.siteRead!) / median(times.tx!)).toFixed(2)}, ` +
			`${(median(times.siteRead!) - median(times.tx!)).toFixed(0)} µs per scoped transaction`
	);
} finally {
	await database.close();
	await admin.unsafe(`drop database if exists "${name}" with (force)`);
	await admin.end();
}
