/**
 * People are their Discord account: `account.account_id` (provider "discord") is the Discord
 * user id. Better Auth needs a unique e-mail per user, so every user's `email` is a placeholder
 * derived from the Discord id (Discord's own verified address is kept apart, for notices only:
 * discord-email.ts). That also lets accounts without
 * an e-mail (phone sign-ups) sign in, and keeps one person = one Discord id.
 */
import { and, eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { db } from '../db';
import { account } from '../db/schema';

export const DISCORD_PROVIDER = 'discord';

export function placeholderEmail(discordId: string): string {
	return `${discordId}@users.discord.invalid`;
}

// A user's Discord id never changes (accounts are never relinked), so it is cached: the
// super-admin check runs on every signed-in request.
const discordIds = new LRUCache<string, string>({ max: 20_000 });

export async function discordIdOfUser(userId: string): Promise<string | null> {
	const hit = discordIds.get(userId);
	if (hit) return hit;
	const [row] = await db()
		.select({ accountId: account.accountId })
		.from(account)
		.where(and(eq(account.userId, userId), eq(account.providerId, DISCORD_PROVIDER)))
		.limit(1);
	if (row) discordIds.set(userId, row.accountId);
	return row?.accountId ?? null;
}

export async function userIdOfDiscordId(discordId: string): Promise<string | null> {
	const [row] = await db()
		.select({ userId: account.userId })
		.from(account)
		.where(and(eq(account.providerId, DISCORD_PROVIDER), eq(account.accountId, discordId)))
		.limit(1);
	return row?.userId ?? null;
}
