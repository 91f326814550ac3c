/**
 * Every request passes these small handles in order (DESIGN.md "Hosts and site resolution"):
 *   observe      request id, per-request query count, one JSON log line
 *   health       /healthz and /readyz, whatever the Host; 503 for the rest while migrations are missing
 *   workerOnly   ROLE=worker: nothing else (404)
 *   tlsAsk       Caddy's on-demand TLS question, whatever the Host
 *   resolveSite  Host → locals.site / locals.isHub, or the plain "no site here" page (sites/handle.ts)
 *   language     the language pages are rendered in: a public site's own, else the person's
 *                (Accept-Language until `session` knows their choice); sets <html lang dir>
 *   csrf         cross-site form posts refused (replaces SvelteKit's check, see lib/server/csrf.ts)
 *   siteStatus   suspended sites answer 410 to visitors
 *   federation   ActivityPub on a site's host: WebFinger, NodeInfo, the actor (fediverse/federation.ts)
 *   headers      security headers; private, no-store for admin, sign-in and the hub
 *   renderCache  finished anonymous public pages served from memory (public-site/render-cache.ts);
 *                fresh hits never get here: the server entry answers them first (fast-path.ts)
 *   whatsOnCache the same for the hub's calendar, dropped per site it shows (hub/whats-on-cache.ts)
 *   publicCache  Cache-Control + ETag/304 for public site responses (server/http-cache.ts)
 *   session      /api/auth/* for Better Auth; else locals.user / role / isSuperAdmin (auth/session.ts)
 * Nothing below resolveSite reads the Host header or takes a site id from the client.
 */
import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { randomUUID } from 'node:crypto';
import { env } from '$lib/server/env';
import { log } from '$lib/server/log';
import { awaitingMigrations, isDraining, startServer } from '$lib/server/startup';
import { withQueryCounter } from '$lib/server/db/query-count';
import { AppError, isDatabaseUnavailable } from '$lib/server/errors';
import { database } from '$lib/server/db';
import { databaseDown, noteDatabaseError } from '$lib/server/db/health';
import { migrationsApplied } from '$lib/server/db/migrate';
import { jobQueueStarted } from '$lib/server/jobs';
import { setPlatformDomain } from '$lib/hub-routing';
import { resolveSite } from '$lib/server/hosts/handle';
import { plainPage, plainPages, statusTitle } from '$lib/server/plain-page';
import { tlsAsk } from '$lib/server/hosts/tls-ask';
import { pausedPage } from '$lib/server/public-site/paused-page';
import { publicCache } from '$lib/server/http-cache';
import { renderCacheHandle } from '$lib/server/public-site/render-cache';
import { whatsOnCacheHandle } from '$lib/server/hub/whats-on-cache';
import { federationHandle } from '$lib/server/fediverse/federation';
import { registerFastPath } from '$lib/server/public-site/fast-path';
import { isCrossSiteFormPost, isOneClickUnsubscribe } from '$lib/server/csrf';
import { session } from '$lib/server/auth/session';
import { isHubPublicPath, isOpenWhenSuspended, isPrivatePath, namespaceOf } from '$lib/route-namespaces';
import { textDirection } from '$lib/i18n';
import { localeOf, requestLocale, withLocale } from '$lib/server/i18n';
import { m } from '$lib/paraglide/messages';

export const init: ServerInit = async () => {
	await startServer();
	setPlatformDomain(env().PLATFORM_DOMAIN);
	registerFastPath();
};

const observe: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const id = randomUUID();
	return withQueryCounter(async (counter) => {
		let status = 500;
		try {
			const response = await resolve(event);
			status = response.status;
			if (event.locals.databaseDown && status >= 500) {
				status = 503;
				return closingIfDraining(withLocale(answeredIn(event), plainPages.unavailable));
			}
			// An AppError that escaped a load or an endpoint (routes map them with forms.ts; this is
			// the net under that): its own status and message, never SvelteKit's 500.
			const escaped = event.locals.appError;
			if (escaped && status >= 500) {
				status = escaped.status;
				return closingIfDraining(
					withLocale(answeredIn(event), () => plainPage(escaped.status, statusTitle(escaped.status), escaped.message))
				);
			}
			if (env().EXPOSE_QUERY_COUNT) response.headers.set('x-db-queries', String(counter.queries));
			// On every response, including the ones answered before the `headers` handle (health,
			// TLS ask, the no-site page, redirects to a primary domain).
			if (!response.headers.has('x-content-type-options')) response.headers.set('x-content-type-options', 'nosniff');
			if (!response.headers.has('referrer-policy')) response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
			return closingIfDraining(response);
		} catch (error) {
			// Thrown by a handle rather than a page (e.g. loading a signed-in visitor's session):
			// SvelteKit would answer its bare 500 page, not the outage page.
			if (error instanceof AppError) {
				status = error.status;
				return closingIfDraining(withLocale(answeredIn(event), () => plainPage(error.status, statusTitle(error.status), error.message)));
			}
			if (!isDatabaseUnavailable(error)) throw error;
			noteDatabaseError(error);
			log.warn('database unavailable', { id, route: event.route.id });
			status = 503;
			return closingIfDraining(withLocale(answeredIn(event), plainPages.unavailable));
		} finally {
			log.info('request', {
				id,
				site: event.locals.site?.slug ?? (event.locals.isHub ? '(hub)' : null),
				host: event.locals.host ?? null,
				method: event.request.method,
				route: event.route.id,
				status,
				ms: Math.round((performance.now() - started) * 10) / 10,
				queries: counter.queries
			});
		}
	});
};

/**
 * While draining (SIGTERM, startup.ts), every response asks the client to close its connection:
 * a keep-alive client then opens a new one (to another replica, /readyz being 503) instead of
 * sending its next request down a socket about to be closed, and a busy keep-alive connection
 * ends with its response instead of holding the shutdown until adapter-node's SHUTDOWN_TIMEOUT.
 */
function closingIfDraining(response: Response): Response {
	if (isDraining()) response.headers.set('connection', 'close');
	return response;
}

/** The language of the answer given after the handles below have run: the page's, else the first guess. */
const answeredIn = (event: RequestEvent) => event.locals.locale ?? localeOf(event);

const health: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (path === '/healthz') return new Response('ok\n', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
	if (path === '/readyz') {
		const ready = await isReady();
		return new Response(ready ? 'ready\n' : 'not ready\n', {
			status: ready ? 200 : 503,
			headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' }
		});
	}
	// Nothing else can be answered right on a database without this build's tables.
	if (awaitingMigrations()) return withLocale(localeOf(event), plainPages.unavailable);
	return resolve(event);
};

/** Once true it stays true: migrations are never taken back while the process runs. */
let migrated = false;
const READY_TIMEOUT_MS = 800;

/**
 * Ready: not shutting down, the job queue started, the database answers, and every shipped
 * migration is applied. Answered within a second either way: at once while the circuit is open
 * (db/health.ts), else the database gets READY_TIMEOUT_MS (a locked or overloaded database is
 * "not ready", not a hang).
 */
async function isReady(): Promise<boolean> {
	if (isDraining() || databaseDown() || !jobQueueStarted()) return false;
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			(async () => {
				await database().ping();
				migrated ||= await migrationsApplied(database());
				return migrated;
			})(),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)))
		]);
	} catch (error) {
		noteDatabaseError(error);
		return false;
	} finally {
		clearTimeout(timer);
	}
}

/** A worker process (ROLE=worker) runs jobs; over HTTP it answers only /healthz and /readyz. */
const workerOnly: Handle = async ({ event, resolve }) => {
	if (env().ROLE === 'worker') return withLocale(localeOf(event), plainPages.workerOnly);
	return resolve(event);
};

const csrf: Handle = async ({ event, resolve }) => {
	// RFC 8058 one-click unsubscribe: the mail client POSTs from nowhere, without cookies; the
	// token in the path is the whole authority, and all the POST can do is unsubscribe.
	if (isCrossSiteFormPost(event.request, event.locals.host) && !isOneClickUnsubscribe(event.request, event.url.pathname)) {
		return plainPages.formRefused();
	}
	return resolve(event);
};

const siteStatus: Handle = async ({ event, resolve }) => {
	const site = event.locals.site;
	if (site?.status === 'suspended' && !event.locals.isHub && !isOpenWhenSuspended(event.url.pathname)) {
		return pausedPage(site);
	}
	return resolve(event);
};

const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	if (!h.has('x-content-type-options')) h.set('x-content-type-options', 'nosniff');
	if (!h.has('referrer-policy')) h.set('referrer-policy', 'strict-origin-when-cross-origin');
	// Media is public and immutable on every host, the hub included (see routes/media).
	const path = event.url.pathname;
	// The hub is personal throughout (panel, "my sites"), but for what answers with its own rules
	// and its public calendar.
	if (isPrivatePath(path) || (event.locals.isHub && namespaceOf(path)?.access !== 'own' && !isHubPublicPath(path))) {
		h.set('x-frame-options', 'DENY');
		h.set('cache-control', 'private, no-store');
	}
	return response;
};

const language: Handle = ({ event, resolve }) => {
	const locale = localeOf(event);
	return withLocale(locale, async () => {
		const response = await resolve(event, {
			transformPageChunk: ({ html }) => {
				const lang = requestLocale();
				return html.replace('%lang%', lang).replace('%dir%', textDirection(lang));
			}
		});
		// The session handle may have changed it to the person's own choice.
		event.locals.locale = requestLocale();
		return response;
	});
};

export const handle: Handle = sequence(
	observe,
	health,
	workerOnly,
	tlsAsk,
	resolveSite,
	language,
	csrf,
	siteStatus,
	federationHandle,
	headers,
	renderCacheHandle,
	whatsOnCacheHandle,
	publicCache,
	session
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const id = randomUUID();
	if (error instanceof AppError) {
		event.locals.appError = error;
		if (error.status >= 500) log.warn('app error', { id, route: event.route.id, code: error.code, detail: error.detail });
		return { message: error.message, id };
	}
	if (isDatabaseUnavailable(error)) {
		noteDatabaseError(error);
		event.locals.databaseDown = true;
		log.warn('database unavailable', { id, route: event.route.id });
		return { message: m.hub_error_unavailable(), id };
	}
	if (status === 404) return { message: m.admin_error_not_found() };
	log.error('unexpected error', { id, route: event.route.id, status, message, error });
	return { message: m.hub_error_our_side(), id };
};
