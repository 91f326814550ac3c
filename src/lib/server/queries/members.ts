/** Memberships (who holds which role on a site) and invitations. */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { account, invitation, membership, user } from '../db/schema';

export type Role = (typeof membership.$inferSelect)['role'];
export const ROLE_RANK: Record<Role, number> = { editor: 1, admin: 2, owner: 3 };

export async function getRole(siteId: string, userId: string, tx: DbOrTx = db()): Promise<Role | null> {
	const [row] = await tx
		.select({ role: membership.role })
		.from(membership)
		.where(and(eq(membership.siteId, siteId), eq(membership.userId, userId)));
	return row?.role ?? null;
}

export async function listMembers(siteId: string) {
	return db()
		.select({
			userId: membership.userId,
			role: membership.role,
			since: membership.createdAt,
			name: user.name,
			image: user.image,
			discordId: account.accountId
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.leftJoin(account, and(eq(account.userId, user.id), eq(account.providerId, 'discord')))
		.where(eq(membership.siteId, siteId))
		.orderBy(sql`case ${membership.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(user.name));
}

export async function setMembership(siteId: string, userId: string, role: Role, tx: DbOrTx = db()) {
	const [row] = await tx
		.insert(membership)
		.values({ siteId, userId, role })
		.onConflictDoUpdate({ target: [membership.siteId, membership.userId], set: { role } })
		.returning();
	return row!;
}

export async function removeMembership(siteId: string, userId: string, tx: DbOrTx = db()) {
	const [row] = await tx
		.delete(membership)
		.where(and(eq(membership.siteId, siteId), eq(membership.userId, userId)))
		.returning();
	return row;
}

/** One member of a site with a display name (for audit entries and confirmations). */
export async function getMember(siteId: string, userId: string, tx: DbOrTx = db()) {
	const [row] = await tx
		.select({ userId: membership.userId, role: membership.role, name: user.name })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.siteId, siteId), eq(membership.userId, userId)));
	return row;
}

/**
 * Lock the site's owner rows for the rest of the transaction and return their user ids.
 * Every change that could remove an owner takes this lock first, so two owners demoting each
 * other at the same moment cannot leave the site without one.
 */
export async function lockOwners(siteId: string, tx: DbOrTx = db()): Promise<string[]> {
	const rows = await tx
		.select({ userId: membership.userId })
		.from(membership)
		.where(and(eq(membership.siteId, siteId), eq(membership.role, 'owner')))
		.for('update');
	return rows.map((r) => r.userId);
}

// ---- Invitations ----

export function hashInviteToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export async function listInvitations(siteId: string, now = new Date()) {
	return db()
		.select()
		.from(invitation)
		.where(and(eq(invitation.siteId, siteId), isNull(invitation.acceptedAt), gt(invitation.expiresAt, now)))
		.orderBy(asc(invitation.expiresAt));
}

export async function createInvitation(
	siteId: string,
	values: {
		role: Role;
		discordId?: string | null;
		tokenHash?: string | null;
		email?: string | null;
		expiresAt: Date;
		createdBy: string | null;
	},
	tx: DbOrTx = db()
) {
	const [row] = await tx
		.insert(invitation)
		.values({ ...values, siteId })
		.returning();
	return row!;
}

export async function revokeInvitation(siteId: string, invitationId: string, tx: DbOrTx = db()) {
	const [row] = await tx
		.delete(invitation)
		.where(and(eq(invitation.siteId, siteId), eq(invitation.id, invitationId), isNull(invitation.acceptedAt)))
		.returning();
	return row;
}

export async function getInvitation(siteId: string, invitationId: string, tx: DbOrTx = db()) {
	const [row] = await tx
		.select()
		.from(invitation)
		.where(and(eq(invitation.siteId, siteId), eq(invitation.id, invitationId)));
	return row;
}

/** A pending, unexpired link invitation of this site (the invite page shows it before sign-in). */
export async function findPendingInviteByTokenHash(siteId: string, tokenHash: string, now = new Date()) {
	const [row] = await db()
		.select({ id: invitation.id, role: invitation.role, expiresAt: invitation.expiresAt })
		.from(invitation)
		.where(
			and(eq(invitation.siteId, siteId), eq(invitation.tokenHash, tokenHash), isNull(invitation.acceptedAt), gt(invitation.expiresAt, now))
		);
	return row;
}

/** Mark the site's pending, unexpired invitations that `which` selects as accepted by `userId`. */
function consumePending(siteId: string, which: SQL, userId: string, tx: DbOrTx, now: Date) {
	return tx
		.update(invitation)
		.set({ acceptedAt: now, acceptedBy: userId })
		.where(and(eq(invitation.siteId, siteId), which, isNull(invitation.acceptedAt), gt(invitation.expiresAt, now)))
		.returning({ id: invitation.id, role: invitation.role });
}

/** Mark a link invitation used, once: the conditional UPDATE is the single-use guarantee. */
export async function consumeInviteTokenHash(siteId: string, tokenHash: string, userId: string, tx: DbOrTx = db(), now = new Date()) {
	const [row] = await consumePending(siteId, eq(invitation.tokenHash, tokenHash), userId, tx, now);
	return row;
}

/** Mark every pending invitation of this site for this Discord id used; returns their roles. */
export async function consumeDiscordInvites(siteId: string, discordId: string, userId: string, tx: DbOrTx = db(), now = new Date()) {
	return consumePending(siteId, eq(invitation.discordId, discordId), userId, tx, now);
}

/**
 * The site's owners who have a real e-mail address (accounts made through Discord carry a
 * placeholder under `.invalid`, see auth/accounts.ts): who gets the site's alerts.
 */
/**
 * The site's owners who can be reached by e-mail, each at their address for notices: the one
 * they confirmed themselves, else Discord's verified one. The placeholder `user.email` is never
 * an address (owners with nothing else are left out; the dashboard still shows the alert).
 */
export async function listOwnerEmails(siteId: string): Promise<{ userId: string; email: string }[]> {
	const address = sql<string>`coalesce(${user.noticeEmail}, ${user.discordEmail})`;
	return db()
		.select({ userId: user.id, email: address })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.siteId, siteId), eq(membership.role, 'owner'), sql`${address} is not null`));
}
