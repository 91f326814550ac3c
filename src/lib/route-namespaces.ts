/**
 * The one table of first path segments the app answers itself, with what each may do. Every
 * list that used to be written by hand comes from here: what the render cache and HTTP caches
 * may keep, what gets `private, no-store`, what still works on a suspended site, which page
 * slugs are taken, what the hub shares with sites, what robots.txt disallows.
 *
 * A path whose first segment is not in the table is a site page (`/<page-slug>`) or the 404.
 * Shared with the browser (the hub's `reroute` runs there), so nothing server-only in here.
 */
type Access =
	/** Site content for anyone: cacheable by the render cache and by browsers/CDNs. */
	| 'public'
	/** Personal or credential-bearing: `private, no-store`, framing denied, never cached. */
	| 'private'
	/** Answers with its own caching rules (immutable media, tokens): not rendered, not cached by us. */
	| 'own';

interface Namespace {
	access: Access;
	/** Still answered on a suspended site, so its members can sign in and fix things. */
	openWhenSuspended?: true;
	/** Means the same on the hub as on a site (not moved under the hub's own routes). */
	sharedWithHub?: true;
	/** Only on the hub (a site never answers it). */
	hubOnly?: true;
}

export const NAMESPACES = {
	admin: { access: 'private', openWhenSuspended: true },
	login: { access: 'private', openWhenSuspended: true, sharedWithHub: true },
	logout: { access: 'private', openWhenSuspended: true, sharedWithHub: true },
	auth: { access: 'private', openWhenSuspended: true, sharedWithHub: true },
	api: { access: 'private', openWhenSuspended: true, sharedWithHub: true },
	invite: { access: 'private' },
	/** Following by e-mail: the sign-up form's answer, confirmation and unsubscribe links (tokens). */
	follow: { access: 'private' },
	/** A person's own settings (the admin language picker posts to /account/language). */
	account: { access: 'private', openWhenSuspended: true, sharedWithHub: true },
	internal: { access: 'private', sharedWithHub: true },
	healthz: { access: 'own', sharedWithHub: true },
	readyz: { access: 'own', sharedWithHub: true },
	media: { access: 'own', openWhenSuspended: true, sharedWithHub: true },
	'.well-known': { access: 'own', openWhenSuspended: true, sharedWithHub: true },
	sites: { access: 'private', hubOnly: true },
	/** ActivityPub: the site's actor (fediverse/federation.ts); off and 404 without FEDERATION_KEY. */
	ap: { access: 'own' },
	/** NodeInfo 2.1 of the platform, answered on each site's host (discovery via /.well-known/nodeinfo). */
	nodeinfo: { access: 'own' },
	/** The hub's calendar of every opted-in collective, and its feeds (hub/whats-on.ts). */
	'whats-on': { access: 'public', hubOnly: true },
	'whats-on.ics': { access: 'public', hubOnly: true },
	'whats-on.xml': { access: 'public', hubOnly: true },
	events: { access: 'public' },
	/** A site's reusable venues: /places/<slug> lists what is on there. */
	places: { access: 'public' },
	'events.ics': { access: 'public' },
	'feed.xml': { access: 'public' },
	'sitemap.xml': { access: 'public' },
	'robots.txt': { access: 'public' },
	'og-image.png': { access: 'public' },
	'favicon.ico': { access: 'own' }
} as const satisfies Record<string, Namespace>;

export type NamespaceName = keyof typeof NAMESPACES;

/** The first path segment's namespace, or null for a site page (or nothing). */
export function namespaceOf(pathname: string): Namespace | null {
	const first = pathname.split('/', 2)[1] ?? '';
	return Object.hasOwn(NAMESPACES, first) ? NAMESPACES[first as NamespaceName] : null;
}

/** Site content anyone may see: the root, site pages, and the public namespaces. */
export function isPublicPath(pathname: string): boolean {
	const ns = namespaceOf(pathname);
	return ns === null || ns.access === 'public';
}

export function isPrivatePath(pathname: string): boolean {
	return namespaceOf(pathname)?.access === 'private';
}

export function isOpenWhenSuspended(pathname: string): boolean {
	return (namespaceOf(pathname) as Namespace | null)?.openWhenSuspended === true;
}

export function isSharedWithHub(pathname: string): boolean {
	return (namespaceOf(pathname) as Namespace | null)?.sharedWithHub === true;
}

/** Public on the hub itself (the rest of the hub is personal: private, no-store). */
export function isHubPublicPath(pathname: string): boolean {
	const ns = namespaceOf(pathname) as Namespace | null;
	return ns?.hubOnly === true && ns.access === 'public';
}

/** A page at `/<slug>` would never be reached under one of these. */
export function isReservedPageSlug(slug: string): boolean {
	return Object.hasOwn(NAMESPACES, slug);
}

/** What robots.txt asks crawlers to leave alone: everything private a site answers. */
export const ROBOTS_DISALLOW = Object.entries(NAMESPACES as Record<string, Namespace>)
	.filter(([, ns]) => ns.access === 'private' && !ns.hubOnly)
	.map(([name]) => `/${name}`);
