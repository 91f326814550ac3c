import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { env } from '$lib/server/env';
import { defaultReturnPath, safeReturnPath } from '$lib/server/auth/return-path';
import { devSignInAllowed } from '$lib/server/auth/dev-sign-in';
import { authPageLook } from '$lib/server/auth/page-theme';
import { DEMO_IDENTITIES } from '$lib/server/seed/identities';

/** Error codes in `?error=` → what we tell people. Unknown codes get the generic message (never echoed). */
const MESSAGES: Record<string, string> = {
	expired: 'That sign-in link has expired or was already used. Please sign in again.',
	other_browser: 'Please finish signing in in the same browser where you started.',
	discord_unavailable: 'Signing in with Discord is not set up on this server yet.',
	access_denied: 'Discord sign-in was cancelled.',
	unknown_identity: 'That demo identity does not exist.'
};
const GENERIC = 'Signing in did not work. Please try again.';

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeReturnPath(url.searchParams.get('next'), defaultReturnPath(locals));
	if (locals.user) redirect(303, next);
	const error = url.searchParams.get('error');
	return {
		...authPageLook(locals.site),
		isHub: locals.isHub,
		next,
		error: error === null ? null : (MESSAGES[error] ?? GENERIC),
		discordAvailable: Boolean(env().DISCORD_CLIENT_ID && env().DISCORD_CLIENT_SECRET),
		devIdentities: devSignInAllowed() ? DEMO_IDENTITIES.map(({ discordId, name, description }) => ({ discordId, name, description })) : []
	};
};
