/**
 * Change notifications between server processes. Every write that changes how a host resolves
 * (site or site_domain) or what a site's public pages show sends one NOTIFY on CHANGE_CHANNEL
 * inside the writing transaction, so it is delivered on commit only and never for a rolled-back
 * write. Each process LISTENs (see sites/index.ts) and drops what it cached.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db';
import { dispatchChange } from './changes';

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
	/** Anything may have changed (bulk operations, a listener that reconnected). */
	z.object({ type: z.literal('all') })
]);

export type ChangeMessage = z.output<typeof changeMessage>;

export async function notifyChange(tx: DbOrTx, message: ChangeMessage): Promise<void> {
	await tx.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(message)})`);
	// Also drop this process's entries right away, so the writer's next request never sees the
	// old value; the NOTIFY, delivered on commit, drops them again (in every process), which
	// also covers a request that re-cached the old value before the commit.
	dispatchChange(message);
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
	if (type !== 'hosts' && type !== 'content' && type !== 'all') return null;
	const parsed = changeMessage.safeParse(value);
	return parsed.success ? parsed.data : { type: 'all' };
}
