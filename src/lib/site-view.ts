/**
 * What the public site's components receive: plain, already-formatted values built on the server
 * (src/lib/server/public-site/views.ts), so components never see database rows.
 */
import type { DateBadge, EventWhen } from './event-time';
import type { ImageSource } from './media-url';

export interface SeoMeta {
	/** The whole <title>. */
	title: string;
	description: string;
	/** Absolute URL on the site's primary host. */
	canonical: string;
	type: 'website' | 'article';
	siteName: string;
	/** Absolute URL of the Open Graph / Twitter card image. */
	image: { url: string; alt: string; width: number; height: number } | null;
	noindex?: boolean;
	/** schema.org data, serialized safely by SeoHead. */
	jsonLd?: Record<string, unknown>;
}

export interface EventView {
	slug: string;
	href: string;
	title: string;
	cancelled: boolean;
	when: EventWhen;
	badge: DateBadge;
	/** Machine-readable start/end for <time datetime>. */
	start: string;
	end: string | null;
	venueName: string;
	venueAddress: string;
	ticketHref: string | null;
	image: ImageSource | null;
	/** Plain-text summary of the description. */
	excerpt: string;
	/** The site's tags on it (its series' for a date of a series), chip colours chosen for contrast. */
	tags: TagChip[];
	/** Held online (too): the "Online" badge. */
	online: boolean;
	/** The online link, once it may be shown (null before, or when there is none). */
	onlineHref: string | null;
	/** Minutes before the start from which the link shows (null: always). */
	onlineRevealMinutes: number | null;
	/** One of the site's places, with its page and accessibility notes. */
	place: { href: string; name: string; accessibility: string; url: string | null } | null;
	/** OpenStreetMap: a pin at the place's coordinates, else a search for the address (a link, no tiles). */
	mapHref: string | null;
}

export interface TagChip {
	slug: string;
	name: string;
	href: string;
	/** null: the theme's own chip colours. */
	background: string | null;
	color: string | null;
}

export interface NavItem {
	label: string;
	href: string;
	external: boolean;
}

export interface SocialItem {
	platform: string;
	label: string;
	icon: string;
	href: string;
}
