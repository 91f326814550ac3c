/**
 * One route tree serves both the hub (PLATFORM_DOMAIN) and every site. `reroute` (src/hooks.ts)
 * maps hub URLs onto internal routes under /hub, and the hub's `/sites/<slug>/admin/...` onto the
 * site admin screens under /admin, so both admin entry points share one implementation.
 *
 * reroute runs on the server and in the browser: the server knows the platform domain (set at
 * start-up); in the browser the hub's pages carry `data-hub` on <html>.
 */
import { isSharedWithHub } from './route-namespaces';
import { classifyHost } from './host-class';

let platformDomain: string | null = null;

/** Called once by hooks.server.ts. */
export function setPlatformDomain(domain: string): void {
	platformDomain = domain;
}

export function isHubUrl(url: URL): boolean {
	if (typeof document !== 'undefined') return document.documentElement.dataset.hub !== undefined;
	return platformDomain !== null && classifyHost(url.hostname, { platformDomain }).kind === 'hub';
}

/** Internal path for a hub URL, or undefined to keep the path as it is. */
export function hubRoute(pathname: string): string | undefined {
	if (isSharedWithHub(pathname)) return undefined;
	const site = /^\/sites\/([a-z0-9-]+)\/admin(\/.*)?$/.exec(pathname);
	if (site) return `/admin${site[2] ?? ''}`;
	return pathname === '/' ? '/hub' : `/hub${pathname}`;
}

/** For a hub request on /sites/<slug>/admin/..., the slug; else null. */
export function hubSiteSlug(pathname: string): string | null {
	return /^\/sites\/([a-z0-9-]+)\/admin(?:\/|$)/.exec(pathname)?.[1] ?? null;
}
