/**
 * The hourly clean-up job: rows that have served their purpose. Platform work (every site at
 * once, no site scope), through the write wrapper like any other write; nothing is audited (the
 * audit rows are among what goes).
 */
import { env } from '../env';
import {
	deleteAuditBefore,
	deleteExpiredInvitations,
	deleteExpiredSlugRedirects,
	deleteExpiredVerifications,
	deleteStaleRateLimits
} from '../queries/cleanups';
import { systemActor } from './actor';
import { write } from './write';

const DAY = 86_400_000;

export interface CleanupReport {
	invitations: number;
	verifications: number;
	slugRedirects: number;
	rateLimits: number;
	auditRows: number;
}

export interface CleanupOptions {
	now?: Date;
	auditRetentionDays?: number;
}

export async function cleanUpExpiredRows(options: CleanupOptions = {}): Promise<CleanupReport> {
	const now = options.now ?? new Date();
	const retentionDays = options.auditRetentionDays ?? env().AUDIT_RETENTION_DAYS;
	return write({ siteId: null, actor: systemActor() }, async () => ({
		invitations: await deleteExpiredInvitations(now),
		verifications: await deleteExpiredVerifications(now),
		slugRedirects: await deleteExpiredSlugRedirects(now),
		// A rate-limit window is a minute; an hour-old counter counts nothing any more.
		rateLimits: await deleteStaleRateLimits(new Date(now.getTime() - 3_600_000)),
		auditRows: await deleteAuditBefore(new Date(now.getTime() - retentionDays * DAY))
	}));
}
