/**
 * The hub's Fedify store on PostgreSQL and PGlite: idempotence records go to the database (so
 * another store, i.e. another process, sees them), expire with their TTL, and are listed by
 * prefix; everything else stays in this store's memory.
 */
import { describe, expect, it } from 'vitest';
import { Temporal } from '@js-temporal/polyfill';
import type { KvKey } from '@fedify/fedify';
import { databaseKinds, useTestDatabase } from '../../../../tests/support/db';
import { db } from '../db';
import { federationSeenActivity } from '../db/schema';
import { HubKvStore, IDEMPOTENCE_PREFIX } from './seen-activities';

for (const kind of databaseKinds()) {
	describe(`fediverse seen activities on ${kind}`, () => {
		useTestDatabase(kind);
		const seen = (id: string): KvKey => [...IDEMPOTENCE_PREFIX, 'http://a.example', id];

		it('shares idempotence records between stores, through the database', async () => {
			const one = new HubKvStore();
			const other = new HubKvStore();
			await one.set(seen('https://remote.example/follows/1'), true, { ttl: Temporal.Duration.from({ days: 1 }) });
			expect(await other.get(seen('https://remote.example/follows/1'))).toBe(true);
			expect(await other.get(seen('https://remote.example/follows/2'))).toBeUndefined();
			expect(await db().select().from(federationSeenActivity)).toHaveLength(1);
			const listed = [];
			for await (const e of other.list(IDEMPOTENCE_PREFIX)) listed.push(e.key);
			expect(listed).toEqual([seen('https://remote.example/follows/1')]);
			await other.delete(seen('https://remote.example/follows/1'));
			expect(await one.get(seen('https://remote.example/follows/1'))).toBeUndefined();
		});

		it('reads an expired record as absent', async () => {
			const store = new HubKvStore();
			await store.set(seen('https://remote.example/short'), true, { ttl: Temporal.Duration.from({ milliseconds: 1 }) });
			await expect.poll(() => store.get(seen('https://remote.example/short'))).toBeUndefined();
		});

		it('keeps caches in memory, per store', async () => {
			const one = new HubKvStore();
			await one.set(['_fedify', 'remoteDocument', 'https://remote.example/actor'], { cached: true });
			expect(await one.get(['_fedify', 'remoteDocument', 'https://remote.example/actor'])).toEqual({ cached: true });
			expect(await new HubKvStore().get(['_fedify', 'remoteDocument', 'https://remote.example/actor'])).toBeUndefined();
			const rows = await db().select().from(federationSeenActivity);
			expect(rows.map((r) => r.key).filter((k) => k.includes('remoteDocument'))).toEqual([]);
		});
	});
}
