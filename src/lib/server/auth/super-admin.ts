/**
 * Super admins are Discord ids in SUPER_ADMIN_DISCORD_IDS, read from the environment on every
 * request and never stored as a role: removing an id (and restarting) revokes access at once.
 *
 * Demo: the seeded dev super admin (DEV_SUPER_ADMIN_DISCORD_ID) also counts, but only while
 * DEV_LOGIN is on — the condition under which the dev sign-in exists at all, allowed only on a
 * server configured for development (env.ts) — so `npm run demo` has a working super admin
 * without configuration.
 */
import { env } from '../env';
import { DEV_SUPER_ADMIN_DISCORD_ID } from '../seed/identities';

export function isSuperAdmin(discordId: string | null): boolean {
	if (!discordId) return false;
	const e = env();
	if (e.SUPER_ADMIN_DISCORD_IDS.has(discordId)) return true;
	return e.DEV_LOGIN && discordId === DEV_SUPER_ADMIN_DISCORD_ID;
}
