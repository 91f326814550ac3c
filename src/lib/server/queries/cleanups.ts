/**
 * Platform-wide deletes of rows past their use (services/cleanups.ts). Cross-site on purpose:
 * run outside any site scope. Each returns how many rows went.
 */
import { lt } from 'drizzle-orm';
import { db } from '../db';
import { auditEvent, invitation, rateLimit, siteSlugRedirect, verification } from '../db/schema';

/** Invitations past their expiry (an accepted one too: the membership is what remains). */
export async function deleteExpiredInvitations(now: Date): Promise<number> {
	const rows = await db().delete(invitation).where(lt(invitation.expiresAt, now)).returning({ id: invitation.id });
	return rows.length;
}

/** Better Auth's verification rows (OAuth state, the sign-in hand-back) past their expiry. */
export async function deleteExpiredVerifications(now: Date): Promise<number> {
	const rows = await db().delete(verification).where(lt(verification.expiresAt, now)).returning({ id: verification.id });
	return rows.length;
}

export async function deleteExpiredSlugRedirects(now: Date): Promise<number> {
	const rows = await db().delete(siteSlugRedirect).where(lt(siteSlugRedirect.expiresAt, now)).returning({ slug: siteSlugRedirect.oldSlug });
	return rows.length;
}

/** Rate-limit counters whose window ended long ago (`last_request` is epoch milliseconds). */
export async function deleteStaleRateLimits(before: Date): Promise<number> {
	const rows = await db().delete(rateLimit).where(lt(rateLimit.lastRequest, before.getTime())).returning({ id: rateLimit.id });
	return rows.length;
}

export async function deleteAuditBefore(before: Date): Promise<number> {
	const rows = await db().delete(auditEvent).where(lt(auditEvent.at, before)).returning({ id: auditEvent.id });
	return rows.length;
}
