/**
 * Absolute URLs for links that leave the current host (redirects to a primary domain, canonical
 * links, the sign-in hand-back). The scheme comes from PUBLIC_SCHEME, else http for local hosts
 * and https elsewhere; the port of the current request is kept when it is the server's own (see
 * publicPort), so local and test setups, where every host shares one port, work like production.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { env } from './env';
import { isLocalHost } from './hosts/parse-host';

export function publicScheme(host: string): 'http' | 'https' {
	return env().PUBLIC_SCHEME ?? (isLocalHost(host) ? 'http' : 'https');
}

type UrlEvent = Pick<RequestEvent, 'url'> & { platform?: unknown };

/**
 * The port public URLs carry: the request's, but only when it is the port this server listens on
 * (local and test setups, where every host shares it). Any other port in a Host header (a proxy's,
 * or junk such as `site.example:6666`) is dropped, so a page never depends on it and the render
 * cache needs at most one variant per page for it (public-site/render-cache.ts).
 */
export function publicPort(event: UrlEvent): string {
	const port = event.url.port;
	if (!port) return '';
	const local = (event.platform as { req?: { socket?: { localPort?: number } } } | undefined)?.req?.socket?.localPort;
	// Outside adapter-node (vite dev, unit tests) there is no socket to compare with: keep it.
	return local === undefined || String(local) === port ? port : '';
}

export function publicOrigin(host: string, event: UrlEvent): string {
	const port = publicPort(event);
	return `${publicScheme(host)}://${host}${port ? `:${port}` : ''}`;
}

/** Absolute URL of `path` on the site's primary host (canonical links, sitemaps, feeds). */
export function canonicalUrl(primaryHost: string, path: string, event: UrlEvent): string {
	return new URL(path, publicOrigin(primaryHost, event)).href;
}
