/**
 * Transitional: the old `siteWrite(siteId, actor, audit, change)` signature on top of the one
 * write wrapper (services/write.ts), for code not yet moved into services.
 */
import { db, type Tx } from '../db';
import { write } from '../services/write';
import type { Actor, AuditEntry } from './audit';

export async function siteWrite<T>(
	siteId: string,
	actor: Actor,
	audit: AuditEntry | ((result: T) => AuditEntry | null),
	change: (tx: Tx) => Promise<T>
): Promise<T> {
	return write({ siteId, actor }, async (w) => {
		const result = await change(db() as unknown as Tx);
		const entry = typeof audit === 'function' ? audit(result) : audit;
		if (entry) await w.audit(entry);
		return result;
	});
}
