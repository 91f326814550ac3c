/**
 * The one way admin code changes a site: run the change in a transaction, record an audit
 * event, and notify every process that the site's public pages changed (render cache,
 * see sites/notify.ts). Query modules stay plain; this wrapper keeps the three together.
 */
import { db, type Tx } from '../db';
import { notifyChange } from '../hosts/notify';
import { recordAudit, type Actor, type AuditEntry } from './audit';

export async function siteWrite<T>(
	siteId: string,
	actor: Actor,
	audit: AuditEntry | ((result: T) => AuditEntry | null),
	change: (tx: Tx) => Promise<T>
): Promise<T> {
	return db().transaction(async (tx) => {
		const result = await change(tx);
		const entry = typeof audit === 'function' ? audit(result) : audit;
		if (entry) {
			await recordAudit(tx, siteId, actor, entry);
			await notifyChange(tx, { type: 'content', siteId });
		}
		return result;
	});
}
