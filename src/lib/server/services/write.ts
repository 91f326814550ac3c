/**
 * The one write wrapper. Every change to stored data goes through `write`: one transaction
 * (scoped to the site, so row-level security applies), the audit rows, the change messages for
 * caches published with the commit, and a taken name reported on its field instead of a 500.
 *
 * A write that recorded an audit entry for its site changed that site's public pages: the wrapper
 * publishes `{ type: 'content' }` for it unless the service said more precisely what changed
 * (`changed(...)`, e.g. the hosts of a domain). A write that audited nothing published nothing.
 */
import { transaction } from '../db';
import { publishChange, type ChangeMessage } from '../changes';
import { recordAudit, type AuditEntry } from '../queries/audit';
import { alreadyExists, isUniqueViolation } from '../errors';
import type { AuditActor } from './actor';
import { enqueueJob } from '../jobs';
import type { SendOptions } from 'pg-boss';

export interface WriteScope {
	/** The site written to (the transaction is scoped to it); null for platform work (the hub). */
	siteId: string | null;
	actor: AuditActor;
	/**
	 * Unique indexes this write may hit, by constraint name: the field and message to report.
	 * Two people taking the same name at the same moment both pass a "taken?" check first.
	 */
	unique?: Record<string, { field: string; message: string }>;
}

export interface Write {
	readonly siteId: string | null;
	/** Record who did what (on the scope's site; `platform` also, or only, in the platform feed). */
	audit(entry: AuditEntry, options?: { platform?: 'also' | 'only' }): Promise<void>;
	/** What changed for caches beyond "this site's content" (hosts, slugs, another site). */
	changed(message: ChangeMessage): void;
	/**
	 * Queue a background job in this write's transaction (the outbox): it exists if and only if
	 * the write commits, and no worker can see it before then.
	 */
	enqueue(job: { name: string; data?: object; options?: Omit<SendOptions, 'db'> }): Promise<string | null>;
}

export async function write<T>(scope: WriteScope, work: (w: Write) => Promise<T>): Promise<T> {
	try {
		return await transaction(
			async () => {
				const messages: ChangeMessage[] = [];
				let audited = false;
				const w: Write = {
					siteId: scope.siteId,
					async audit(entry, options = {}) {
						if (scope.siteId !== null && options.platform !== 'only') {
							await recordAudit(scope.siteId, scope.actor, entry);
							audited = true;
						}
						if (options.platform || scope.siteId === null) {
							// Platform rows belong to no site: written outside the site's scope.
							await transaction(() => recordAudit(null, scope.actor, entry), { siteId: null });
						}
					},
					changed(message) {
						messages.push(message);
					},
					enqueue(job) {
						// The queue's tables belong to no site: written outside the site's scope, in the same transaction.
						return transaction(() => enqueueJob(job.name, job.data, job.options), { siteId: null });
					}
				};
				const result = await work(w);
				if (audited && scope.siteId !== null && !messages.some((m) => m.type === 'all' || m.siteId === scope.siteId)) {
					messages.push({ type: 'content', siteId: scope.siteId });
				}
				for (const message of dedupe(messages)) await publishChange(message);
				return result;
			},
			{ siteId: scope.siteId }
		);
	} catch (error) {
		for (const [constraint, report] of Object.entries(scope.unique ?? {})) {
			if (isUniqueViolation(error, constraint)) throw alreadyExists(report.field, report.message);
		}
		throw error;
	}
}

function dedupe(messages: ChangeMessage[]): ChangeMessage[] {
	const seen = new Set<string>();
	return messages.filter((m) => {
		const key = JSON.stringify(m);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
