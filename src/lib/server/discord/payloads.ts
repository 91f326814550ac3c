/**
 * What Discord is sent for an event: the webhook announcement (a rich embed in the SITE's
 * language, times as Discord timestamps so each reader sees their own zone) and the Guild
 * Scheduled Event. Pure functions of the event and the site.
 */
import { createHash } from 'node:crypto';
import {
	GuildScheduledEventEntityType,
	GuildScheduledEventPrivacyLevel,
	type APIEmbed,
	type RESTPostAPIGuildScheduledEventJSONBody,
	type RESTPostAPIWebhookWithTokenJSONBody
} from 'discord-api-types/v10';
import type { SiteContext } from '../hosts/site-context';
import type { EventRow } from '../queries/events';
import type { AssetRow } from '../queries/assets';
import { publicScheme } from '../urls';
import { absoluteMediaBase } from '../media-base';
import { largestVariantUrl } from '../../media-url';
import { describeWhen } from '../../event-time';
import { withLocale } from '../i18n';
import { m } from '../../paraglide/messages';

export type PayloadSite = Pick<SiteContext, 'name' | 'locale' | 'timezone' | 'primaryHost' | 'theme'>;

const CANCELLED_COLOUR = 0x80848e;
/** Discord wants an end for events at a place; an event without one is given this long. */
const DEFAULT_LENGTH_MS = 2 * 3600_000;

export const siteOrigin = (site: Pick<SiteContext, 'primaryHost'>) => `${publicScheme(site.primaryHost)}://${site.primaryHost}`;
export const eventUrl = (site: Pick<SiteContext, 'primaryHost'>, slug: string) =>
	new URL(`/events/${slug.split('/').map(encodeURIComponent).join('/')}`, siteOrigin(site)).href;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/** Markdown to a short plain excerpt (Discord renders its own markdown; ours may differ). */
function excerpt(markdown: string, max: number): string {
	const plain = markdown
		.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/[#>*_`~|]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	return clip(plain, max);
}

export const placeOf = (e: Pick<EventRow, 'venueName' | 'venueAddress'>) => [e.venueName, e.venueAddress].filter(Boolean).join(', ');
/** What "the time" of an announcement is, to tell a time change from other edits. */
export const whenKey = (e: Pick<EventRow, 'startsAt' | 'endsAt' | 'allDay'>) =>
	`${e.startsAt.toISOString()}/${e.endsAt?.toISOString() ?? ''}/${e.allDay}`;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const colour = (hex: string | undefined) => (hex && /^#[0-9a-f]{6}$/i.test(hex) ? parseInt(hex.slice(1), 16) : undefined);
export const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

export interface AnnouncementInput {
	site: PayloadSite;
	event: EventRow;
	image?: AssetRow;
	/** When and where it was first announced: a difference is told in the message. */
	announced?: { when: string | null; where: string | null };
}

const NO_MENTIONS = { parse: [] } as RESTPostAPIWebhookWithTokenJSONBody['allowed_mentions'];

export function announcement({ site, event: e, image, announced }: AnnouncementInput): RESTPostAPIWebhookWithTokenJSONBody {
	return withLocale(site.locale, () => {
		const cancelled = e.status !== 'published';
		const when = describeWhen(e, site.timezone);
		const t = unix(e.startsAt);
		const notes: string[] = [];
		if (cancelled) notes.push(`**${m.discord_post_cancelled_note()}**`);
		else {
			if (announced?.when && announced.when !== whenKey(e)) notes.push(`**${m.discord_post_time_changed()}**`);
			if (announced?.where !== undefined && announced.where !== null && announced.where !== placeOf(e))
				notes.push(`**${m.discord_post_place_changed()}**`);
		}
		const text = excerpt(e.description, 300);
		const place = placeOf(e);
		const embed: APIEmbed = {
			title: clip(cancelled ? m.discord_post_cancelled_title({ title: e.title }) : e.title, 256),
			url: eventUrl(site, e.slug),
			description: clip([...notes, text].filter(Boolean).join('\n\n'), 4000) || undefined,
			color: cancelled ? CANCELLED_COLOUR : colour(site.theme.accent),
			fields: [
				{
					name: m.discord_post_when(),
					// Discord shows these in each reader's own zone and language; the site's wording follows for all-day dates.
					value: cancelled
						? `~~${e.allDay ? when.label : `<t:${t}:F>`}~~`
						: e.allDay
							? `${when.label} (<t:${t}:R>)`
							: `<t:${t}:F> (<t:${t}:R>)`
				},
				...(place ? [{ name: m.discord_post_where(), value: clip(place, 1024) }] : [])
			],
			footer: { text: clip(site.name, 2048) }
		};
		if (image && !cancelled) embed.image = { url: largestVariantUrl(absoluteMediaBase(siteOrigin(site)), image) };
		return { embeds: [embed], allowed_mentions: NO_MENTIONS };
	});
}

/** An announced event that was deleted since: only its title is known. */
export function withdrawnAnnouncement(site: PayloadSite, title: string): RESTPostAPIWebhookWithTokenJSONBody {
	return withLocale(site.locale, () => ({
		embeds: [
			{
				title: clip(m.discord_post_cancelled_title({ title }), 256),
				description: `**${m.discord_post_cancelled_note()}**`,
				color: CANCELLED_COLOUR,
				footer: { text: clip(site.name, 2048) }
			}
		],
		allowed_mentions: NO_MENTIONS
	}));
}

export function testMessage(site: PayloadSite): RESTPostAPIWebhookWithTokenJSONBody {
	return withLocale(site.locale, () => ({
		content: m.discord_post_test({ site: site.name }),
		allowed_mentions: NO_MENTIONS
	}));
}

export type EntityType = 'external' | 'voice' | 'stage';

export interface ScheduledPlace {
	entityType: EntityType;
	channelId: string | null;
}

/** The Guild Scheduled Event of an event. Its description ends with the event's link (also how it is found again). */
export function scheduledEvent(site: PayloadSite, e: EventRow, where: ScheduledPlace): RESTPostAPIGuildScheduledEventJSONBody {
	const url = eventUrl(site, e.slug);
	const text = excerpt(e.description, 1000 - url.length - 2);
	const end = e.endsAt && e.endsAt > e.startsAt ? e.endsAt : new Date(e.startsAt.getTime() + DEFAULT_LENGTH_MS);
	const base = {
		name: clip(e.title, 100),
		privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
		scheduled_start_time: e.startsAt.toISOString(),
		scheduled_end_time: end.toISOString(),
		description: text ? `${text}\n\n${url}` : url
	};
	if (where.entityType !== 'external' && where.channelId) {
		return {
			...base,
			entity_type: where.entityType === 'stage' ? GuildScheduledEventEntityType.StageInstance : GuildScheduledEventEntityType.Voice,
			channel_id: where.channelId
		};
	}
	return {
		...base,
		entity_type: GuildScheduledEventEntityType.External,
		entity_metadata: { location: clip(placeOf(e) || url, 100) }
	};
}
