/** A person's own settings, on Better Auth's user row (not site data: no site scope). */
import { eq } from 'drizzle-orm';
import { db } from '../db';
import { user } from '../db/schema';

/** Set the admin language a person chose; false when there is no such user. */
export async function setUserLocale(userId: string, locale: string): Promise<boolean> {
	const rows = await db().update(user).set({ locale }).where(eq(user.id, userId)).returning({ id: user.id });
	return rows.length > 0;
}
