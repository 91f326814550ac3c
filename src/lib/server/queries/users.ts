/** A person's own settings, on Better Auth's user row (not site data: no site scope). */
import { randomUUID } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { db } from '../db';
import { user, verification } from '../db/schema';

/** Set the admin language a person chose; false when there is no such user. */
export async function setUserLocale(userId: string, locale: string): Promise<boolean> {
	const rows = await db().update(user).set({ locale }).where(eq(user.id, userId)).returning({ id: user.id });
	return rows.length > 0;
}

/** Where a person's notices go: the address they confirmed, and Discord's verified one. */
export async function getNoticeAddresses(userId: string): Promise<{ noticeEmail: string | null; discordEmail: string | null } | undefined> {
	const [row] = await db().select({ noticeEmail: user.noticeEmail, discordEmail: user.discordEmail }).from(user).where(eq(user.id, userId));
	return row;
}

export async function setNoticeEmail(userId: string, email: string | null): Promise<boolean> {
	const rows = await db().update(user).set({ noticeEmail: email }).where(eq(user.id, userId)).returning({ id: user.id });
	return rows.length > 0;
}

/** A pending confirmation, stored hashed (Better Auth's verification table, our own prefix). */
export async function savePendingNoticeEmail(identifier: string, value: string, expiresAt: Date): Promise<void> {
	await db().insert(verification).values({ id: randomUUID(), identifier, value, expiresAt });
}

/** Use a pending confirmation once: its value, or undefined when unknown, used or expired. */
export async function consumePendingNoticeEmail(identifier: string, now: Date): Promise<string | undefined> {
	const [row] = await db()
		.delete(verification)
		.where(and(eq(verification.identifier, identifier), gt(verification.expiresAt, now)))
		.returning({ value: verification.value });
	return row?.value;
}
