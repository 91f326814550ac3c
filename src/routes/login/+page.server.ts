import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { env } from '$lib/server/env';
import { defaultReturnPath, safeReturnPath } from '$lib/server/auth/return-path';
import { devSignInAllowed } from '$lib/server/auth/dev-sign-in';
import { authPageLook } from '$lib/server/auth/page-theme';
import { DEMO_IDENTITIES } from '$lib/server/seed/identities';
import { m } from '$lib/paraglide/messages';

/** Error codes in `?error=` → what we tell people. Unknown codes get the generic message (never echoed). */
const MESSAGES: Record<string, () => string> = {
	expired: m.admin_login_error_expired,
	other_browser: m.admin_login_error_other_browser,
	discord_unavailable: m.admin_login_discord_missing,
	access_denied: m.admin_login_error_cancelled,
	unknown_identity: m.admin_login_error_unknown_identity
};

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeReturnPath(url.searchParams.get('next'), defaultReturnPath(locals));
	if (locals.user) redirect(303, next);
	const error = url.searchParams.get('error');
	return {
		...authPageLook(locals.site),
		isHub: locals.isHub,
		next,
		error: error === null ? null : (MESSAGES[error] ?? m.admin_login_error_generic)(),
		discordAvailable: Boolean(env().DISCORD_CLIENT_ID && env().DISCORD_CLIENT_SECRET),
		devIdentities: devSignInAllowed() ? DEMO_IDENTITIES.map(({ discordId, name, description }) => ({ discordId, name, description })) : []
	};
};
