import { describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { migratePostgresUrl, shippedMigrationCount } from './migrate';
import { createDatabase, dropDatabase, uniqueName } from '../../../../tests/support/postgres';

const template = inject('templateDatabase');

describe.runIf(template)('migrations under the advisory lock', () => {
	it('5 runners at once on an empty database apply every migration exactly once', async () => {
		const name = uniqueName('hub_test');
		const url = await createDatabase(name);
		try {
			const results = await Promise.allSettled(Array.from({ length: 5 }, () => migratePostgresUrl(url)));
			expect(results.map((r) => r.status)).toEqual(Array(5).fill('fulfilled'));

			const sql = postgres(url, { max: 1, onnotice: () => {} });
			try {
				const rows = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
				expect(rows.length).toBe(shippedMigrationCount());
				expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);

				const tables = await sql<{ table_name: string }[]>`
					select table_name from information_schema.tables where table_schema = 'public' order by 1`;
				expect(tables.map((t) => t.table_name)).toEqual(
					expect.arrayContaining([
						'site',
						'site_domain',
						'page',
						'home',
						'event',
						'nav_link',
						'social_link',
						'asset',
						'membership',
						'invitation',
						'audit_event',
						'user',
						'session',
						'account',
						'verification',
						'rate_limit'
					])
				);
				// Every site-owned table cascades from site.
				const fks = await sql<{ table_name: string; delete_rule: string }[]>`
					select tc.table_name, rc.delete_rule
					from information_schema.table_constraints tc
					join information_schema.referential_constraints rc on rc.constraint_name = tc.constraint_name
					join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
					where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'site' and ccu.column_name = 'id'
						and tc.table_name <> 'site'`;
				const cascading = new Set(fks.filter((f) => f.delete_rule === 'CASCADE').map((f) => f.table_name));
				for (const t of [
					'site_domain',
					'page',
					'home',
					'event',
					'nav_link',
					'social_link',
					'asset',
					'membership',
					'invitation',
					'audit_event'
				]) {
					expect(cascading.has(t), `${t} cascades`).toBe(true);
				}
			} finally {
				await sql.end();
			}
		} finally {
			await dropDatabase(name);
		}
	});

	it('a second run on a migrated database is a no-op', async () => {
		const name = uniqueName('hub_test');
		const url = await createDatabase(name, template!);
		try {
			await migratePostgresUrl(url);
			const sql = postgres(url, { max: 1, onnotice: () => {} });
			const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
			await sql.end();
			expect(row!.n).toBe(shippedMigrationCount());
		} finally {
			await dropDatabase(name);
		}
	});
});
