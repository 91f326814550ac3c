/**
 * The process-wide resolver and change listener. `startChangeListener()` runs once at start-up.
 */
import { env } from '../env';
import { database } from '../db';
import { databaseDown } from '../db/health';
import { log } from '../log';
import { HostResolver } from './resolver';
import type { SiteContext } from './site-context';
import { CHANGE_CHANNEL, dispatchChange, onChange, parseChangeMessage } from '../changes';

export { onChange, dispatchChange };

let resolver: HostResolver | undefined;

export function hostResolver(): HostResolver {
	if (!resolver) {
		const e = env();
		resolver = new HostResolver({
			platformDomain: e.PLATFORM_DOMAIN,
			siteSlug: e.SITE_SLUG,
			maxEntries: e.HOST_CACHE_MAX,
			maxNegative: e.HOST_CACHE_NEGATIVE_MAX,
			ttlMs: e.HOST_CACHE_TTL_MS,
			negativeTtlMs: e.HOST_CACHE_NEGATIVE_TTL_MS,
			staleMs: e.RENDER_CACHE_STALE_MS,
			isDown: databaseDown
		});
		const r = resolver;
		onChange((message) => r.apply(message));
	}
	return resolver;
}

/**
 * The site a hub URL names by slug, through the resolver's cache (as a request on
 * `<slug>.<PLATFORM_DOMAIN>` would find it): null when no live site has this slug now.
 */
export async function siteBySlug(slug: string): Promise<SiteContext | null> {
	if (!/^[a-z0-9-]{1,63}$/.test(slug)) return null;
	const resolution = await hostResolver().resolve(`${slug}.${env().PLATFORM_DOMAIN}`);
	// An old slug redirects to its site: the hub's URLs name current slugs only.
	return resolution.kind === 'site' && resolution.site.slug === slug ? resolution.site : null;
}

let stopListening: (() => Promise<void>) | undefined;

/** LISTEN for changes made by any process. On every (re)connect, drop everything cached. */
export async function startChangeListener(): Promise<void> {
	if (stopListening) return;
	stopListening = await database().listen(
		CHANGE_CHANNEL,
		(payload) => {
			const message = parseChangeMessage(payload);
			if (message) dispatchChange(message);
		},
		() => {
			log.info('change listener connected; caches cleared');
			dispatchChange({ type: 'all' });
		}
	);
}

export async function stopChangeListener(): Promise<void> {
	const stop = stopListening;
	stopListening = undefined;
	await stop?.().catch(() => {});
}
