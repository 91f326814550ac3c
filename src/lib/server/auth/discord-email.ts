/**
 * Discord's verified e-mail address, kept for notices only (domain alerts to owners). Better
 * Auth's `user.email` stays the placeholder identity (accounts.ts): a real address there would
 * let an e-mail match attach or refuse accounts, and phone-only Discord accounts have none.
 *
 * The address arrives with the Discord profile (`email` scope) in `mapProfileToUser`, which runs
 * on every Discord sign-in but does not know the user; the session hook that follows in the same
 * request does. So the profile's address is remembered per request and written on the user row
 * when the session is created: every sign-in refreshes it, and an address Discord no longer
 * calls verified is dropped.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../db';
import { user } from '../db/schema';
import { currentRequest } from './request';

const seen = new WeakMap<object, string | null>();
const address = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** In `mapProfileToUser`: the address Discord vouches for, or null. */
export function rememberDiscordEmail(profile: { email?: string | null; verified?: boolean | null }): void {
	const event = currentRequest();
	if (!event) return;
	const parsed = profile.verified === true ? address.safeParse(profile.email) : null;
	seen.set(event, parsed?.success ? parsed.data : null);
}

/** In the session hook: store what this request's Discord profile said (nothing for dev sign-in). */
export async function storeDiscordEmail(userId: string): Promise<void> {
	const event = currentRequest();
	if (!event || !seen.has(event)) return;
	const email = seen.get(event) ?? null;
	seen.delete(event);
	await db().update(user).set({ discordEmail: email }).where(eq(user.id, userId));
}
