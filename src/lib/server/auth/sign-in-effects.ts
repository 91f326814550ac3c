/**
 * What signing in on a site does besides the session: the bootstrap owner (OWNER_DISCORD_ID on
 * SITE_SLUG's site) and pending Discord-id invitations for that site. Runs after every session is
 * created (Discord hand-back and dev sign-in alike), for the site of the session's host.
 */
import { eq } from 'drizzle-orm';
import { env } from '../env';
import { db } from '../db';
import { user as userTable } from '../db/schema';
import { log } from '../log';
import { hostResolver } from '../hosts';
import { discordIdOfUser } from './accounts';
import { acceptDiscordInvites, ensureBootstrapOwner } from '../services/members';

export async function applySignInEffects(session: { userId: string; host?: string | null }): Promise<void> {
	if (!session.host) return;
	try {
		const resolution = await hostResolver().resolve(session.host);
		if (resolution.kind !== 'site') return;
		const site = resolution.site;
		const discordId = await discordIdOfUser(session.userId);
		if (!discordId) return;
		const [row] = await db().select({ name: userTable.name }).from(userTable).where(eq(userTable.id, session.userId));
		const person = { id: session.userId, name: row?.name ?? discordId };
		const e = env();
		if (e.OWNER_DISCORD_ID === discordId && e.SITE_SLUG === site.slug) await ensureBootstrapOwner(site.id, person);
		await acceptDiscordInvites(site.id, person, discordId);
	} catch (error) {
		// Sign-in itself succeeded; a failure here must not lock the person out, only be visible.
		log.error('sign-in effects failed', { host: session.host, error });
	}
}
