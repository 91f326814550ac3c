/**
 * The `session` handle (after resolveSite in hooks.server.ts):
 *
 * 1. `/api/auth/*`: answered by Better Auth, but only the paths this app uses, each on the hosts
 *    where it makes sense (the Discord callback on the hub, the hand-back finish on sites, the dev
 *    sign-in on a development server with DEV_LOGIN). Everything else there is a 404, so none of
 *    Better Auth's other endpoints (which know nothing of host-bound sessions) is reachable.
 *    svelteKitHandler would only answer on the baseURL host, hence this routing.
 * 2. Every other request: fills `locals.user`, `locals.sessionId`, `locals.role` (on
 *    `locals.site`) and `locals.isSuperAdmin`. A session issued for another host is ignored.
 *    Without a session cookie this costs no query at all.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { env } from '../env';
import { isLocale, type Locale } from '../../i18n';
import { isPublicPath } from '../../route-namespaces';
import { setRequestLocale } from '../i18n';
import { plainPages } from '../plain-page';
import { getRole } from '../queries/members';
import { discordIdOfUser } from './accounts';
import { CLIENT_IP_HEADER, getAuth } from './auth';
import { clientIp } from './client-ip';
import { devSignInAllowed } from './dev-sign-in';
import { isSuperAdmin } from './super-admin';

type Where = 'hub' | 'site' | 'any' | 'dev';

const AUTH_ROUTES: Record<string, { method: string; where: Where }> = {
	'/api/auth/discord/start': { method: 'POST', where: 'any' },
	'/api/auth/discord/continue': { method: 'GET', where: 'hub' },
	'/api/auth/callback/discord': { method: 'GET', where: 'hub' },
	'/api/auth/discord/finish': { method: 'GET', where: 'site' },
	'/api/auth/dev/sign-in': { method: 'POST', where: 'dev' }
};

function servesHere(where: Where, locals: App.Locals): boolean {
	switch (where) {
		case 'hub':
			return locals.isHub;
		case 'site':
			return !locals.isHub && locals.site !== null;
		case 'any':
			return locals.isHub || locals.site !== null;
		case 'dev':
			return devSignInAllowed();
	}
}

async function answerAuthRequest(event: RequestEvent): Promise<Response> {
	const route = AUTH_ROUTES[event.url.pathname];
	if (!route || route.method !== event.request.method || !servesHere(route.where, event.locals)) {
		return plainPages.notFound();
	}
	const headers = new Headers(event.request.headers);
	headers.set(CLIENT_IP_HEADER, clientIp(event, env().TRUST_PROXY));
	const response = await getAuth().handler(new Request(event.request, { headers }));
	if (response.status === 429) {
		return plainPages.tooManyAttempts(response.headers.get('x-retry-after') ?? '60');
	}
	return response;
}

let sessionCookieName: string | undefined;

async function loadSession(event: RequestEvent): Promise<void> {
	const auth = getAuth();
	sessionCookieName ??= (await auth.$context).authCookies.sessionToken.name;
	if (!event.cookies.get(sessionCookieName)) return;

	const headers = event.request.headers;
	// Refresh is off for the first read: a session presented on a foreign host must not be extended.
	let found = await auth.api.getSession({ headers, query: { disableRefresh: true } });
	if (!found || found.session.host !== event.locals.host) return;
	const { expiresIn, updateAge } = (await auth.$context).sessionConfig;
	const refreshDue = found.session.expiresAt.getTime() - expiresIn * 1000 + updateAge * 1000 <= Date.now();
	if (refreshDue) found = (await auth.api.getSession({ headers })) ?? found;

	const { user, session } = found;
	const site = event.locals.site;
	const [discordId, role] = await Promise.all([discordIdOfUser(user.id), site ? getRole(site.id, user.id) : null]);
	const locale = isLocale((user as { locale?: unknown }).locale) ? (user as { locale: Locale }).locale : null;
	event.locals.user = { id: user.id, name: user.name, image: user.image ?? null, discordId, locale };
	event.locals.sessionId = session.id;
	event.locals.role = role;
	event.locals.isSuperAdmin = isSuperAdmin(discordId);
}

export const session: Handle = async ({ event, resolve }) => {
	if (event.url.pathname.startsWith('/api/auth/')) return answerAuthRequest(event);
	await loadSession(event);
	// The admin, the hub and sign-in speak the signed-in person's chosen language (server/i18n.ts).
	const { site, isHub, user } = event.locals;
	if (user?.locale && (isHub || !site || !isPublicPath(event.url.pathname))) setRequestLocale(user.locale);
	return resolve(event);
};

/**
 * Sign out: end this host's session (when the cookie holds one issued here) and clear the cookie
 * either way. Called by /logout's form action.
 */
export async function signOut(event: RequestEvent): Promise<void> {
	const auth = getAuth();
	if (event.locals.sessionId) await auth.api.signOut({ headers: event.request.headers });
	// Also clears a cookie that holds no session of this host; same attributes as when it was set.
	const { name, attributes } = (await auth.$context).authCookies.sessionToken;
	event.cookies.delete(name, { path: '/', secure: Boolean(attributes.secure), httpOnly: true, sameSite: 'lax' });
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.role = null;
	event.locals.isSuperAdmin = false;
}
