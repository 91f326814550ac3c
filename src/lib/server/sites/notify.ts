/**
 * Change notifications between server processes. Every write that changes how a host resolves
 * (site or site_domain) or what a site's public pages show sends one NOTIFY on CHANGE_CHANNEL
 * inside the writing transaction, so it is delivered on commit only and never for a rolled-back
 * write. Each process LISTENs (see sites/listener.ts) and drops what it cached.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db';
import { dispatchChange } from './changes';

export const CHANGE_CHANNEL = 'hub_changes';

export type ChangeMessage =
	/** Hostnames whose resolution may have changed (old and new). */
	| { type: 'hosts'; siteId?: string; hosts: string[] }
	/** Public content of a site changed: drop its rendered pages. */
	| { type: 'content'; siteId: string }
	/** Anything may have changed (bulk operations). */
	| { type: 'all' };

export async function notifyChange(tx: DbOrTx, message: ChangeMessage): Promise<void> {
	await tx.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(message)})`);
	// Also drop this process's entries right away, so the writer's next request never sees the
	// old value; the NOTIFY, delivered on commit, drops them again (in every process), which
	// also covers a request that re-cached the old value before the commit.
	dispatchChange(message);
}

export function parseChangeMessage(payload: string): ChangeMessage | null {
	try {
		const m = JSON.parse(payload) as ChangeMessage;
		if (m && (m.type === 'hosts' || m.type === 'content' || m.type === 'all')) return m;
	} catch {
		// A malformed payload is ignored; the cache TTL bounds any staleness.
	}
	return null;
}
