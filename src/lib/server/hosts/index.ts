/**
 * The process-wide resolver and change listener. `startChangeListener()` runs once at start-up.
 */
import { env } from '../env';
import { database } from '../db';
import { databaseDown } from '../db/health';
import { log } from '../log';
import { HostResolver } from './resolver';
import type { SiteContext } from './site-context';
import { CHANGE_CHANNEL, changeNumber, dispatchChange, lastChangeNumber, onChange, parseChangeMessage } from '../changes';

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
let listenerStopped = false;

/** The highest change number this process has heard of (from NOTIFY payloads or the sequence). */
let heard: bigint | null = null;
let connects = 0;

/** What the render cache's disk tier stamps its files with (public-site/disk-cache.ts). */
export const heardChangeNumber = (): bigint | null => heard;

/**
 * LISTEN for changes made by any process. A reconnect may have missed some: once the database
 * answers again, compare the last change number handed out with the last one heard, and drop
 * every cache only when they differ (or cannot be compared). Caches that are still right stay
 * warm through a database restart, and nothing is dropped while the pool cannot re-render.
 */
export async function startChangeListener(): Promise<void> {
	if (stopListening) return;
	listenerStopped = false;
	stopListening = await database().listen(
		CHANGE_CHANNEL,
		(payload) => {
			const seq = changeNumber(payload);
			if (seq !== null && (heard === null || seq > heard)) heard = seq;
			const message = parseChangeMessage(payload);
			if (message) dispatchChange(message);
		},
		() => void onListenerConnected(++connects === 1)
	);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

async function onListenerConnected(first: boolean): Promise<void> {
	const known = heard;
	const connect = connects;
	let last: bigint | null;
	for (let failures = 0; ;) {
		// A newer connect (or a stop) does its own comparison.
		if (connect !== connects || listenerStopped) return;
		// Wait for the pool (the circuit closes on the probe's first answer). While the database is
		// down nothing is dropped: the caches are what visitors get in an outage, and whether a
		// change was missed can only be told once the change number can be read again. (Clearing
		// them when that read failed emptied every cache when the database stopped just after a
		// reconnect: a whole outage of 503s instead of stale pages.)
		if (databaseDown()) {
			await pause(100);
			continue;
		}
		try {
			last = await lastChangeNumber();
			break;
		} catch (error) {
			// Unreadable with the database up (a missing sequence, say): it cannot be compared.
			if (++failures >= 20) {
				log.info('change listener connected; change number unreadable, caches cleared', { error });
				dispatchChange({ type: 'all' });
				return;
			}
			await pause(250);
		}
	}
	if (first) {
		// Start-up: the caches are empty; from here on every change is heard.
		if (heard === null || (last !== null && last > heard)) heard = last;
		return;
	}
	if (last === known || (last !== null && known !== null && last <= known)) {
		log.info('change listener reconnected; no change missed, caches kept', { last: String(last) });
		return;
	}
	heard = last;
	log.info('change listener reconnected; changes may have been missed, caches cleared', { heard: String(known), last: String(last) });
	dispatchChange({ type: 'all' });
}

export async function stopChangeListener(): Promise<void> {
	const stop = stopListening;
	stopListening = undefined;
	listenerStopped = true;
	await stop?.().catch(() => {});
}
