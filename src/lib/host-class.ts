/**
 * What a normalized hostname names, decided in one pure place for both `reroute` (which picks the
 * hub's or a site's routes, in the server and in the browser) and the host resolver (which looks
 * the site up): the hub itself, or a site to find by custom domain and by these slugs, best first.
 */

export type HostClass = { kind: 'hub' } | { kind: 'site'; slugs: string[] };

export interface HostClassOptions {
	platformDomain: string;
	/** Local development only: the site plain `localhost` (or 127.0.0.1) serves. */
	siteSlug?: string;
}

/** Local development hosts: the only ones where SITE_SLUG and the dev sign-in may apply. */
export function isLocalHost(host: string): boolean {
	return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
}

/**
 * `host` as parseHost returns it (no port, lowercase); a trailing dot, as the URL parser keeps it
 * (`hub.example.`), names the same host. Slugs: `<slug>.<PLATFORM_DOMAIN>` or `<slug>.localhost`,
 * then SITE_SLUG on local hosts only (never on a public name).
 */
export function classifyHost(host: string, { platformDomain, siteSlug }: HostClassOptions): HostClass {
	if (host.endsWith('.')) host = host.slice(0, -1);
	if (host === platformDomain) return { kind: 'hub' };
	const slugs: string[] = [];
	for (const suffix of ['.' + platformDomain, '.localhost']) {
		if (host.endsWith(suffix)) {
			const slug = host.slice(0, -suffix.length);
			if (!slug.includes('.')) slugs.push(slug);
			break;
		}
	}
	if (siteSlug && isLocalHost(host) && !slugs.includes(siteSlug)) slugs.push(siteSlug);
	return { kind: 'site', slugs };
}
