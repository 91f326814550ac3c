/**
 * Dev sign-in: pick a demo identity on /login instead of going to Discord. It exists only when
 * DEV_LOGIN is on, which the environment check (env.ts) allows only on a server configured for
 * development: a local PLATFORM_DOMAIN and NODE_ENV not production. Otherwise it is a 404 on
 * every host. It never depends on the request's Host: a client can send `Host: x.localhost` to
 * any server, so a host check would let anyone reach it on a public server.
 *
 * It goes through Better Auth's own `handleOAuthUserInfo`, the function the Discord callback
 * uses, so it makes exactly the user/account/session rows a Discord sign-in would (and runs the
 * same hooks: session host, bootstrap owner, invitations).
 */
import { z } from 'zod';
import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthEndpoint } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { handleOAuthUserInfo } from 'better-auth/oauth2';
import { env } from '../env';
import { demoIdentity } from '../seed/identities';
import { DISCORD_PROVIDER, placeholderEmail } from './accounts';
import { requireRequest } from './request';
import { defaultReturnPath, safeReturnPath } from './return-path';

export function devSignInAllowed(): boolean {
	return env().DEV_LOGIN;
}

export function devSignIn() {
	return {
		id: 'dev-sign-in',
		endpoints: {
			devSignIn: createAuthEndpoint(
				'/dev/sign-in',
				{
					method: 'POST',
					body: z.object({ discordId: z.string().max(32), next: z.string().max(4096).optional() }),
					metadata: { allowedMediaTypes: ['application/x-www-form-urlencoded', 'application/json'] }
				},
				async (ctx) => {
					const event = requireRequest();
					if (!devSignInAllowed()) throw new APIError('NOT_FOUND');
					ctx.setHeader('cache-control', 'no-store');
					const next = safeReturnPath(ctx.body.next, defaultReturnPath(event.locals));
					const identity = demoIdentity(ctx.body.discordId);
					if (!identity) throw ctx.redirect(`/login?${new URLSearchParams({ error: 'unknown_identity', next })}`);
					const result = await handleOAuthUserInfo(ctx, {
						userInfo: {
							id: identity.discordId,
							email: placeholderEmail(identity.discordId),
							name: identity.name,
							emailVerified: false
						},
						account: { providerId: DISCORD_PROVIDER, accountId: identity.discordId },
						callbackURL: next
					});
					if (result.error || !result.data) throw ctx.redirect(`/login?${new URLSearchParams({ error: 'sign_in_failed', next })}`);
					await setSessionCookie(ctx, result.data);
					throw ctx.redirect(next);
				}
			)
		}
	} satisfies BetterAuthPlugin;
}
