/**
 * Atom feed of a site's events (RFC 4287), written by the `feed` package (XML escaping included).
 * Entry ids are `urn:uuid:<event id>`, stable across edits and domain changes; `updated` is the
 * event's last change so readers show edits (a cancellation) as updates. Content is the stored
 * HTML of the description (rendered when it was saved): no Markdown or sanitizer per request.
 */
import { Feed } from 'feed';
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import { describeWhen } from '../../event-time';
import { storedHtmlOf } from '../rich-text';
import { escapeHtml } from '../escape';
import { m } from '../../paraglide/messages';

export interface FeedOptions {
	site: Pick<SiteContext, 'id' | 'name' | 'tagline' | 'description' | 'timezone' | 'locale'>;
	siteUrl: string;
	feedUrl: string;
	eventUrl: (slug: string) => string;
	imageUrl: string | null;
}

export function buildEventsFeed(events: EventRow[], { site, siteUrl, feedUrl, eventUrl, imageUrl }: FeedOptions): string {
	const updated = events.reduce((max, e) => (e.updatedAt > max ? e.updatedAt : max), new Date(0));
	const feed = new Feed({
		title: m.feed_title({ site: site.name }),
		description: site.tagline || site.description || undefined,
		id: `urn:uuid:${site.id}`,
		link: siteUrl,
		language: site.locale,
		updated: events.length ? updated : new Date(0),
		generator: 'Collective Hub',
		feedLinks: { atom: feedUrl },
		image: imageUrl ?? undefined,
		copyright: site.name,
		author: { name: site.name, link: siteUrl }
	});
	for (const e of events) {
		const when = describeWhen(e, site.timezone);
		const cancelled = e.status === 'cancelled';
		const where = [e.venueName, e.venueAddress].filter(Boolean).join(', ');
		const summary = `${cancelled ? `${m.cancelled()}. ` : ''}${when.label}${where ? ` · ${where}` : ''}`;
		// The feed package marks titles and summaries type="html": escape plain text so readers show it as typed.
		feed.addItem({
			title: escapeHtml(cancelled ? `${m.cancelled_prefix()}${e.title}` : e.title),
			id: `urn:uuid:${e.id}`,
			link: eventUrl(e.slug),
			date: e.updatedAt,
			published: e.createdAt,
			description: escapeHtml(summary),
			content: `<p><strong>${escapeHtml(summary)}</strong></p>${storedHtmlOf(e.description, e)}`
		});
	}
	return feed.atom1();
}
