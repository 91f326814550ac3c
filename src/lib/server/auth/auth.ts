/**
 * The Better Auth instance (Discord provider, drizzle adapter on our database).
 *
 * Many hosts, one instance:
 * - baseURL is the hub (PLATFORM_DOMAIN, any port for local and test setups): Discord's redirect
 *   URI is always the hub's callback. Site hosts fall back to the hub URL; they only serve the
 *   hand-back finish and dev sign-in (see session.ts for which auth paths each host answers).
 * - Sessions carry `host`, set from the request that creates them; session.ts ignores a session
 *   presented on any other host. Cookies are host-only (no Domain attribute, no cross-subdomain
 *   cookies), HttpOnly, SameSite=Lax, Secure when the public scheme is https.
 * - trustedOrigins is a function: an Origin is admitted only when it is the very host of the
 *   request AND that host is one we serve (site_domain row, slug subdomain or the hub). Never "*".
 * - Rate limits are counted in the `rate_limit` table per client IP (session.ts puts the IP in
 *   CLIENT_IP_HEADER, from the socket, or from X-Forwarded-For only when TRUST_PROXY is set).
 */
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { sveltekitCookies } from 'better-auth/svelte-kit';
import { getRequestEvent } from '$app/server';
import { env } from '../env';
import { db } from '../db';
import { account, rateLimit, session, user, verification } from '../db/schema';
import { log } from '../log';
import { hostResolver } from '../hosts';
import { parseHost } from '../hosts/parse-host';
import { publicScheme } from '../urls';
import { placeholderEmail } from './accounts';
import { devSignIn } from './dev-sign-in';
import { rememberDiscordEmail, storeDiscordEmail } from './discord-email';
import { discordHandBack } from './discord-hand-back';
import { currentRequest } from './request';
import { authSecret } from './secret';
import { applySignInEffects } from './sign-in-effects';

/** Set by session.ts on every request it passes to Better Auth (any client value is replaced). */
export const CLIENT_IP_HEADER = 'x-hub-client-ip';

/** Seconds a session lasts (SESSION_MAX_AGE_DAYS); the cookie's Max-Age is the same. */
export const sessionExpiresIn = () => env().SESSION_MAX_AGE_DAYS * 24 * 3600;
/** A session used after this age gets its expiry pushed back to sessionExpiresIn (sliding expiration). */
export const SESSION_UPDATE_AGE = 24 * 3600;

/** The Origin of a form post, admitted only for the request's own host when we serve it. */
async function trustedOrigins(request?: Request): Promise<string[]> {
	const origin = request?.headers.get('origin');
	const host = currentRequest()?.locals.host;
	if (!origin || !host) return [];
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return [];
	}
	if (parseHost(url.host) !== host) return [];
	const resolution = await hostResolver().resolve(host);
	return resolution.kind === 'none' ? [] : [url.origin];
}

function createAuth() {
	const e = env();
	const hubScheme = publicScheme(e.PLATFORM_DOMAIN);
	const secret = authSecret();
	const discord =
		e.DISCORD_CLIENT_ID && e.DISCORD_CLIENT_SECRET
			? {
					discord: {
						clientId: e.DISCORD_CLIENT_ID,
						clientSecret: e.DISCORD_CLIENT_SECRET,
						// Tests and local development point this at a fake authorize page.
						authorizationEndpoint: e.DISCORD_AUTHORIZE_URL,
						// Identity, and the verified e-mail for notices only (discord-email.ts): the user's
						// Better Auth e-mail stays the placeholder.
						disableDefaultScope: true,
						scope: ['identify', 'email'],
						mapProfileToUser: (profile: { id: string; email?: string | null; verified?: boolean }) => {
							rememberDiscordEmail(profile);
							return { email: placeholderEmail(profile.id), emailVerified: false };
						}
					}
				}
			: {};

	return betterAuth({
		appName: 'Collective Hub',
		secret,
		baseURL: {
			allowedHosts: [e.PLATFORM_DOMAIN, `${e.PLATFORM_DOMAIN}:*`],
			fallback: `${hubScheme}://${e.PLATFORM_DOMAIN}`,
			protocol: hubScheme
		},
		basePath: '/api/auth',
		database: drizzleAdapter(db(), { provider: 'pg', schema: { user, session, account, verification, rateLimit } }),
		trustedOrigins,
		socialProviders: discord,
		// The admin language a person chose (see server/i18n.ts); getSession returns it, so the
		// session handle knows it without another query. Set by setAdminLocale, never by sign-up input.
		user: { additionalFields: { locale: { type: 'string', required: false, input: false } } },
		session: {
			expiresIn: sessionExpiresIn(),
			// Never more than the lifetime, so a one-day session still slides.
			updateAge: Math.min(SESSION_UPDATE_AGE, sessionExpiresIn() / 2),
			additionalFields: { host: { type: 'string', required: false, input: false } }
		},
		account: {
			// One person = one Discord id; an e-mail match must never attach a second account.
			accountLinking: { enabled: false },
			updateAccountOnSignIn: false
		},
		rateLimit: { enabled: true, storage: 'database', modelName: 'rateLimit', window: 60, max: e.AUTH_RATE_LIMIT_MAX },
		advanced: {
			useSecureCookies: hubScheme === 'https',
			// Better Auth skips its Origin check when NODE_ENV=test; a dev server may run that way.
			disableOriginCheck: false,
			ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
			trustedProxyHeaders: e.TRUST_PROXY
		},
		onAPIError: { errorURL: '/login?error=sign_in_failed' },
		telemetry: { enabled: false },
		logger: {
			level: 'warn',
			// Only Error objects are passed on: other arguments can hold OAuth state or request data.
			log: (level, message, ...args) => {
				const error = args.find((a) => a instanceof Error);
				(level === 'error' ? log.error : level === 'warn' ? log.warn : log.info)(`auth: ${message}`, error ? { error } : undefined);
			}
		},
		databaseHooks: {
			session: {
				create: {
					// The issuing host, from the request that signs in (never from the client).
					before: async (data) => ({ data: { ...data, host: currentRequest()?.locals.host ?? null } }),
					after: async (created) => {
						await storeDiscordEmail((created as { userId: string }).userId);
						await applySignInEffects(created as { userId: string; host?: string | null });
					}
				}
			},
			account: {
				create: {
					// Discord is only our proof of identity: its API tokens are not kept.
					before: async (data) => ({
						data: { ...data, accessToken: null, refreshToken: null, idToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null }
					})
				}
			}
		},
		// sveltekitCookies must stay last: it copies cookies set by auth.api calls into SvelteKit's.
		plugins: [discordHandBack(secret), devSignIn(), sveltekitCookies(getRequestEvent)]
	});
}

export type Auth = ReturnType<typeof createAuth>;

let instance: Auth | undefined;

/** The process-wide instance, made on first use (after start-up opened the database). */
export function getAuth(): Auth {
	instance ??= createAuth();
	return instance;
}
