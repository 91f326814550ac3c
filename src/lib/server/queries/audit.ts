/** The audit trail: every admin write records who did what to which row. */
import { desc, eq, isNull } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { auditEvent } from '../db/schema';

export interface Actor {
	userId: string | null;
	name: string;
}

export interface AuditEntry {
	action: string;
	targetType?: string;
	targetId?: string | null;
	/** Its owner's name for what changed (a title, a hostname); the entry's own words go in `detail`. */
	target?: string;
	/** Codes and values the feed renders in the reader's language (components/admin/audit-text.ts). */
	detail?: AuditDetail;
}

export type AuditDetail = Record<string, string | number>;

export async function recordAudit(siteId: string | null, actor: Actor, entry: AuditEntry, tx: DbOrTx = db()): Promise<void> {
	await tx.insert(auditEvent).values({
		siteId,
		actorUserId: actor.userId,
		actorName: actor.name,
		action: entry.action,
		targetType: entry.targetType ?? '',
		targetId: entry.targetId ?? null,
		target: entry.target ?? '',
		detail: entry.detail ?? null
	});
}

export async function listSiteAudit(siteId: string, limit = 20) {
	return db().select().from(auditEvent).where(eq(auditEvent.siteId, siteId)).orderBy(desc(auditEvent.at), desc(auditEvent.id)).limit(limit);
}

/** Platform-wide feed for the super admin (all sites plus platform actions). */
export async function listAllAudit(limit = 50, platformOnly = false) {
	return db()
		.select()
		.from(auditEvent)
		.where(platformOnly ? isNull(auditEvent.siteId) : undefined)
		.orderBy(desc(auditEvent.at), desc(auditEvent.id))
		.limit(limit);
}
