/**
 * A site's events as ActivityPub `Event` objects: one builder for what is delivered (Create /
 * Update in delivery.ts) and what `/ap/events/<id>` answers (federation.ts), so a server that
 * fetches the object by its id gets exactly what it was sent.
 */
import { Event, Place, PUBLIC_COLLECTION } from '@fedify/fedify/vocab';
import type { Context } from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';
import { escapeHtml } from '../escape';
import { plainTextBlocks } from '../markdown';
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { isUuid } from '../ids';
// Called at run time only, so the import cycle with federation.ts (which dispatches these) is harmless.
import { ACTOR_HANDLE, siteOrigin, type FederationData } from './federation';

/** Where an event's object lives (the path federation.ts dispatches). */
export const EVENT_OBJECT_PATH = '/ap/events/{id}';

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());
const origin = siteOrigin;

export function eventObjectUri(site: SiteContext, eventId: string): URL {
	return new URL(`/ap/events/${eventId}`, origin(site));
}

/** Public, and the site's followers in copy (as Mastodon addresses a public post). */
export function eventAudience(ctx: Context<FederationData>) {
	return { to: PUBLIC_COLLECTION, cc: ctx.getFollowersUri(ACTOR_HANDLE) };
}

export function eventObject(ctx: Context<FederationData>, site: SiteContext, e: EventRow): Event {
	const url = new URL(`/events/${e.slug}`, origin(site));
	const cancelled = e.status === 'cancelled';
	const name = cancelled ? `Cancelled: ${e.title}` : e.title;
	const where = [e.venueName, e.venueAddress].filter(Boolean).join(', ');
	const when = e.startsAt.toISOString();
	// Note-compatible content: Mastodon shows an Event's name, content and URL like a Note's.
	const content = [
		`<p><strong>${escapeHtml(name)}</strong></p>`,
		`<p>${escapeHtml(when)}${where ? ` · ${escapeHtml(where)}` : ''}</p>`,
		...plainTextBlocks(e.description)
			.split('\n\n')
			.filter(Boolean)
			.map((p) => `<p>${escapeHtml(p)}</p>`),
		`<p><a href="${escapeHtml(url.href)}">${escapeHtml(url.href)}</a></p>`
	].join('');
	return new Event({
		id: eventObjectUri(site, e.id),
		attribution: ctx.getActorUri(ACTOR_HANDLE),
		...eventAudience(ctx),
		name,
		content,
		summary: null,
		startTime: instant(e.startsAt),
		endTime: e.endsAt ? instant(e.endsAt) : null,
		location: where ? new Place({ name: where }) : null,
		url,
		published: instant(e.createdAt),
		updated: instant(e.updatedAt)
	});
}

/**
 * The event id a URI names when it is exactly one of this site's event object ids (its origin,
 * its path), else null: another site's event, on this hub or elsewhere, is never this site's.
 */
export function eventIdOfObjectUri(site: SiteContext, uri: URL | null): string | null {
	if (!uri) return null;
	const id = /^\/ap\/events\/([^/]+)$/.exec(uri.pathname)?.[1];
	if (!id || !isUuid(id)) return null;
	return eventObjectUri(site, id).href === uri.href ? id : null;
}
