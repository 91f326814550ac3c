/**
 * Discord sign-in for every host, with the OAuth callback on the hub only.
 *
 * Discord accepts a handful of fixed redirect URIs, and custom domains appear at run time, so
 * Discord always returns to `https://<PLATFORM_DOMAIN>/api/auth/callback/discord`. A sign-in
 * started on a site host X goes:
 *
 *   1. X  POST /api/auth/discord/start      sets a random nonce cookie on X (host-only), redirects
 *                                            to the hub with a signed, 10-minute request
 *                                            {host: X, sha256(nonce), return path}
 *   2. hub GET /api/auth/discord/continue   checks the signature and that X is a site we serve,
 *                                            starts Better Auth's OAuth (state cookie on the hub,
 *                                            the request kept in the server-side OAuth state)
 *   3. hub GET /api/auth/callback/discord   Better Auth checks the state, exchanges the code and
 *                                            finds/creates the user. Our after-hook then deletes
 *                                            the session Better Auth just made on the hub (and
 *                                            its cookie), stores a hand-back token and redirects
 *                                            to X
 *   4. X  GET /api/auth/discord/finish      consumes the token (single use, 60 s), checks it was
 *                                            issued for X and that this browser holds the nonce
 *                                            from step 1, then creates the session on X and sets
 *                                            X's host-only cookie
 *
 * Why our own hand-back token rather than Better Auth's `oAuthProxy` plugin: the proxy carries
 * the provider tokens and profile encrypted in the URL, finishes with the state-cookie check
 * switched off (any browser holding the URL completes the sign-in), and drops fields set by
 * `mapProfileToUser` (our placeholder e-mail, so phone-only Discord accounts would fail). Here the
 * URL carries only a random 32-byte token; the user is created by Better Auth's ordinary
 * callback; the token is stored hashed in `verification`, consumed atomically, lives 60 s, and
 * is useless without the nonce cookie of the browser that started, so a captured or replayed
 * hand-back URL signs nobody in.
 *
 * On the hub itself (super admins) step 1 goes straight to Discord and Better Auth's session stays.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { BetterAuthPlugin } from 'better-auth';
import { addOAuthServerContext, createAuthEndpoint, createAuthMiddleware, getOAuthState } from 'better-auth/api';
import { expireCookie, deleteSessionCookie, setSessionCookie } from 'better-auth/cookies';
import { constantTimeEqual, generateRandomString, signJWT, verifyJWT } from 'better-auth/crypto';
import { generateState } from 'better-auth/oauth2';
import { env } from '../env';
import { hostResolver } from '../hosts';
import { publicOrigin } from '../urls';
import { requireRequest } from './request';
import { defaultReturnPath, safeReturnPath } from './return-path';

/** How long a hand-back token is valid (the issue asks for at most 60 s). */
export const HAND_BACK_TTL_SECONDS = 60;
/** How long a started sign-in may take on Discord's side. */
const START_TTL_SECONDS = 600;

export const HAND_BACK_IDENTIFIER_PREFIX = 'hand-back:';
const NONCE_COOKIE = 'hand_back_nonce';
const FINISH_PATH = '/api/auth/discord/finish';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const handBackIdentifier = (token: string) => HAND_BACK_IDENTIFIER_PREFIX + sha256(token);

const startRequestSchema = z.object({
	host: z.string().min(1).max(253),
	nonceHash: z.string().regex(/^[0-9a-f]{64}$/),
	next: z.string().max(2048)
});
type StartRequest = z.infer<typeof startRequestSchema>;

const handBackSchema = startRequestSchema.extend({ userId: z.string().min(1) });

/** Login page of `host` showing an error (and keeping the return path). */
function loginWithError(error: string, next?: string, origin = ''): string {
	const params = new URLSearchParams({ error });
	if (next) params.set('next', next);
	return `${origin}/login?${params}`;
}

const discordOf = <P extends { id: string }>(providers: P[]) => providers.find((p) => p.id === 'discord');

export function discordHandBack(secret: string) {
	return {
		id: 'discord-hand-back',
		endpoints: {
			discordStart: createAuthEndpoint(
				'/discord/start',
				{
					method: 'POST',
					body: z.object({ next: z.string().max(4096).optional() }),
					metadata: { allowedMediaTypes: ['application/x-www-form-urlencoded', 'application/json'] }
				},
				async (ctx) => {
					const event = requireRequest();
					const next = safeReturnPath(ctx.body.next, defaultReturnPath(event.locals));
					ctx.setHeader('cache-control', 'no-store');
					const provider = discordOf(ctx.context.socialProviders);
					if (!provider) throw ctx.redirect(loginWithError('discord_unavailable', next));

					if (event.locals.isHub) {
						const hubLogin = `/login?${new URLSearchParams({ next })}`;
						const { state, codeVerifier } = await generateState({ ...ctx, body: { callbackURL: next, errorCallbackURL: hubLogin } });
						const url = await provider.createAuthorizationURL({
							state,
							codeVerifier,
							redirectURI: `${ctx.context.baseURL}/callback/discord`
						});
						throw ctx.redirect(url.toString());
					}

					const nonce = generateRandomString(32);
					const cookie = ctx.context.createAuthCookie(NONCE_COOKIE, { maxAge: START_TTL_SECONDS, path: FINISH_PATH });
					ctx.setCookie(cookie.name, nonce, cookie.attributes);
					const request: StartRequest = { host: event.locals.host, nonceHash: sha256(nonce), next };
					const signed = await signJWT(request, secret, START_TTL_SECONDS);
					const hub = publicOrigin(env().PLATFORM_DOMAIN, event);
					throw ctx.redirect(`${hub}/api/auth/discord/continue?${new URLSearchParams({ request: signed })}`);
				}
			),

			discordContinue: createAuthEndpoint(
				'/discord/continue',
				{ method: 'GET', query: z.object({ request: z.string().max(4096) }) },
				async (ctx) => {
					const event = requireRequest();
					ctx.setHeader('cache-control', 'no-store');
					const parsed = startRequestSchema.safeParse(await verifyJWT(ctx.query.request, secret));
					if (!parsed.success) throw ctx.redirect(loginWithError('expired'));
					const request = parsed.data;
					const resolution = await hostResolver().resolve(request.host);
					if (resolution.kind !== 'site' || resolution.redirectTo) throw ctx.redirect(loginWithError('expired'));
					const siteOrigin = publicOrigin(request.host, event);
					const provider = discordOf(ctx.context.socialProviders);
					if (!provider) throw ctx.redirect(loginWithError('discord_unavailable', request.next, siteOrigin));

					// Server-side context: stored with the OAuth state, never taken from the client.
					await addOAuthServerContext({ handBack: request });
					const siteLogin = `${siteOrigin}/login?${new URLSearchParams({ next: request.next })}`;
					const { state, codeVerifier } = await generateState({ ...ctx, body: { callbackURL: '/', errorCallbackURL: siteLogin } });
					const url = await provider.createAuthorizationURL({
						state,
						codeVerifier,
						redirectURI: `${ctx.context.baseURL}/callback/discord`
					});
					throw ctx.redirect(url.toString());
				}
			),

			discordFinish: createAuthEndpoint(
				'/discord/finish',
				{ method: 'GET', query: z.object({ token: z.string().max(200).optional() }) },
				async (ctx) => {
					const event = requireRequest();
					ctx.setHeader('cache-control', 'no-store');
					const nonceCookie = ctx.context.createAuthCookie(NONCE_COOKIE, { path: FINISH_PATH });
					const nonce = ctx.getCookie(nonceCookie.name);
					const refuse = (error: string): never => {
						expireCookie(ctx, nonceCookie);
						throw ctx.redirect(loginWithError(error));
					};

					if (!ctx.query.token) return refuse('expired');
					// Consumed before anything else is checked: whatever happens next, this token is spent.
					const row = await ctx.context.internalAdapter.consumeVerificationValue(handBackIdentifier(ctx.query.token));
					if (!row) return refuse('expired');
					const parsed = handBackSchema.safeParse(JSON.parse(row.value));
					if (!parsed.success || parsed.data.host !== event.locals.host) return refuse('expired');
					const handBack = parsed.data;
					if (!nonce || !constantTimeEqual(sha256(nonce), handBack.nonceHash)) return refuse('other_browser');

					const user = await ctx.context.internalAdapter.findUserById(handBack.userId);
					if (!user) return refuse('expired');
					const session = await ctx.context.internalAdapter.createSession(user.id);
					await setSessionCookie(ctx, { session, user });
					expireCookie(ctx, nonceCookie);
					throw ctx.redirect(safeReturnPath(handBack.next));
				}
			)
		},
		hooks: {
			after: [
				{
					matcher: (context) => context.path === '/callback/:id',
					handler: createAuthMiddleware(async (ctx) => {
						const state = await getOAuthState();
						const parsed = startRequestSchema.safeParse(state?.serverContext?.handBack);
						if (!parsed.success) return; // a sign-in started on the hub: keep Better Auth's session
						const created = ctx.context.newSession;
						if (!created) return; // the callback failed and already redirects to X's login page
						const request = parsed.data;
						const token = generateRandomString(32);
						await ctx.context.internalAdapter.createVerificationValue({
							identifier: handBackIdentifier(token),
							value: JSON.stringify({ ...request, userId: created.user.id }),
							expiresAt: new Date(Date.now() + HAND_BACK_TTL_SECONDS * 1000)
						});
						// The hub must not stay signed in for a sign-in meant for X.
						await ctx.context.internalAdapter.deleteSession(created.session.token);
						deleteSessionCookie(ctx);
						const finish = `${publicOrigin(request.host, requireRequest())}${FINISH_PATH}?${new URLSearchParams({ token })}`;
						ctx.setHeader('location', finish);
						ctx.setHeader('cache-control', 'no-store');
					})
				}
			]
		}
	} satisfies BetterAuthPlugin;
}
