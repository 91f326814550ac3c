/**
 * Fedify's key–value store for this hub: its caches (remote documents, public keys) stay in each
 * process's memory, but the inbox's idempotence records (which activity ids were processed) live
 * in the database, so a replayed activity is refused by every replica and after a restart, not
 * only by the process that saw it first. Fedify writes one record per processed activity with a
 * TTL (a day); expired rows read as absent and are swept now and then on write.
 */
import { MemoryKvStore, type KvKey, type KvStore, type KvStoreListEntry, type KvStoreSetOptions } from '@fedify/fedify';
import { and, eq, gt, isNull, like, lt, or, sql } from 'drizzle-orm';
import { db } from '../db';
import { federationSeenActivity } from '../db/schema';

/** Fedify's default prefix for inbox idempotence records (FederationKvPrefixes.activityIdempotence). */
export const IDEMPOTENCE_PREFIX: KvKey = ['_fedify', 'activityIdempotence'];
/** One in this many writes also deletes expired rows. */
const SWEEP_EVERY = 50;

const isShared = (key: KvKey) => IDEMPOTENCE_PREFIX.every((part, i) => key[i] === part);
const encode = (key: KvKey) => JSON.stringify(key);
const live = or(isNull(federationSeenActivity.expiresAt), gt(federationSeenActivity.expiresAt, sql`now()`));

export class HubKvStore implements KvStore {
	private readonly memory = new MemoryKvStore();
	private writes = 0;

	async get<T = unknown>(key: KvKey): Promise<T | undefined> {
		if (!isShared(key)) return this.memory.get<T>(key);
		const [row] = await db()
			.select({ value: federationSeenActivity.value })
			.from(federationSeenActivity)
			.where(and(eq(federationSeenActivity.key, encode(key)), live));
		return row?.value as T | undefined;
	}

	async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
		if (!isShared(key)) return this.memory.set(key, value, options);
		const expiresAt = options?.ttl ? new Date(Date.now() + options.ttl.total('millisecond')) : null;
		await db()
			.insert(federationSeenActivity)
			.values({ key: encode(key), value, expiresAt })
			.onConflictDoUpdate({ target: federationSeenActivity.key, set: { value, expiresAt } });
		if (++this.writes % SWEEP_EVERY === 0)
			await db()
				.delete(federationSeenActivity)
				.where(lt(federationSeenActivity.expiresAt, sql`now()`));
	}

	async delete(key: KvKey): Promise<void> {
		if (!isShared(key)) return this.memory.delete(key);
		await db()
			.delete(federationSeenActivity)
			.where(eq(federationSeenActivity.key, encode(key)));
	}

	async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
		yield* this.memory.list(prefix);
		if (prefix && !isShared([...prefix, ...IDEMPOTENCE_PREFIX.slice(prefix.length)])) return;
		// JSON of a key array starts like the JSON of its prefix without the closing bracket.
		const start = prefix?.length ? encode(prefix).slice(0, -1) : '[';
		const rows = await db()
			.select()
			.from(federationSeenActivity)
			.where(and(like(federationSeenActivity.key, `${start.replace(/[\\%_]/g, '\\$&')}%`), live));
		for (const r of rows) yield { key: JSON.parse(r.key) as KvKey, value: r.value };
	}
}
