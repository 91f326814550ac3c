/**
 * Absolute URLs for links that leave the current host (redirects to a primary domain, canonical
 * links, the sign-in hand-back). The scheme comes from PUBLIC_SCHEME, else http for local hosts
 * and https elsewhere; the port of the current request is kept so local and test setups, where
 * every host shares one port, work the same way as production.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { env } from './env';
import { isLocalHost } from './hosts/parse-host';

export function publicScheme(host: string): 'http' | 'https' {
	return env().PUBLIC_SCHEME ?? (isLocalHost(host) ? 'http' : 'https');
}

export function publicOrigin(host: string, event: Pick<RequestEvent, 'url'>): string {
	const port = event.url.port;
	return `${publicScheme(host)}://${host}${port ? `:${port}` : ''}`;
}

/** Absolute URL of `path` on the site's primary host (canonical links, sitemaps, feeds). */
export function canonicalUrl(primaryHost: string, path: string, event: Pick<RequestEvent, 'url'>): string {
	return new URL(path, publicOrigin(primaryHost, event)).href;
}
