/**
 * Change messages between server processes: what a write changed, so caches drop it. The write
 * wrapper (services/write.ts) publishes them; each process LISTENs (hosts/index.ts) and hands
 * them to its subscribers here (host resolver, render cache).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { afterCommit, db } from '../db';

export const CHANGE_CHANNEL = 'hub_changes';

const changeMessage = z.discriminatedUnion('type', [
	/**
	 * How some hosts resolve may have changed: every host cached for `siteId`, the `hosts` named
	 * (old and new), and the subdomains of the `slugs` named (old and new: a rename or a new site,
	 * whose `<slug>.localhost` may have been answered by the SITE_SLUG fallback until now).
	 */
	z.object({
		type: z.literal('hosts'),
		siteId: z.string().optional(),
		hosts: z.array(z.string()),
		slugs: z.array(z.string()).optional()
	}),
	/** Public content of a site changed: drop its rendered pages. */
	z.object({ type: z.literal('content'), siteId: z.string() }),
	/**
	 * Whether or under which city a site is listed in the hub's "What's on" changed: every calendar
	 * page that could show it (unfiltered, by city) drops, not only the pages it is on now.
	 */
	z.object({ type: z.literal('listing'), siteId: z.string() }),
	/** Anything may have changed (bulk operations, a listener that reconnected). */
	z.object({ type: z.literal('all') })
]);

export type ChangeMessage = z.output<typeof changeMessage>;

// ---- In-process fan-out to every cache that subscribes ----

const subscribers = new Set<(message: ChangeMessage) => void>();

export function onChange(handler: (message: ChangeMessage) => void): () => void {
	subscribers.add(handler);
	return () => subscribers.delete(handler);
}

export function dispatchChange(message: ChangeMessage): void {
	for (const handler of subscribers) handler(message);
}

/**
 * Publish a change from inside the writing transaction. The NOTIFY is sent in the transaction, so
 * PostgreSQL delivers it to every process on commit only, never for a rolled-back write. This
 * process drops its own entries right after the commit (not before: a write failing at COMMIT
 * must not empty its site's caches), so the writer's next request never sees the old value; the
 * NOTIFY arriving a moment later drops them again, which also covers a request that re-cached the
 * old value while the commit was under way.
 */
export async function publishChange(message: ChangeMessage): Promise<void> {
	// The payload carries the change's number (migration 0007), in the same round trip.
	await db().execute(
		sql`select pg_notify(${CHANGE_CHANNEL}, jsonb_set(${JSON.stringify(message)}::jsonb, '{seq}', to_jsonb(nextval('hub_change_seq')))::text)`
	);
	afterCommit(() => dispatchChange(message));
}

/** The change number a payload carries (null for payloads without one: older replicas). */
export function changeNumber(payload: string): bigint | null {
	const seq = /"seq":\s*(\d+)/.exec(payload)?.[1];
	return seq ? BigInt(seq) : null;
}

/** The last change number handed out by any process, or null before the first change. */
export async function lastChangeNumber(): Promise<bigint | null> {
	const rows = (await db().execute(sql`select last_value::text as n, is_called from hub_change_seq`)) as unknown as
		{ n: string; is_called: boolean }[] | { rows: { n: string; is_called: boolean }[] };
	const row = Array.isArray(rows) ? rows[0] : rows.rows[0];
	return row?.is_called ? BigInt(row.n) : null;
}

/**
 * A payload from the channel. One we cannot read may have been about anything: treat it as
 * "everything changed". A type we do not know (a newer replica during a rolling deploy) is ignored.
 */
export function parseChangeMessage(payload: string): ChangeMessage | null {
	let value: unknown;
	try {
		value = JSON.parse(payload);
	} catch {
		return { type: 'all' };
	}
	const type = (value as { type?: unknown } | null)?.type;
	if (type !== 'hosts' && type !== 'content' && type !== 'listing' && type !== 'all') return null;
	const parsed = changeMessage.safeParse(value);
	return parsed.success ? parsed.data : { type: 'all' };
}
