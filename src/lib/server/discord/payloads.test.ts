/** What Discord is sent: the announcement embed (site language, Discord timestamps, absolute links) and the scheduled event. */
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../queries/events';
import type { AssetRow } from '../queries/assets';
import { announcement, scheduledEvent, whenKey, withdrawnAnnouncement } from './payloads';
import { botInviteUrl, parseWebhookUrl, snowflakeAt } from './api';

const site = {
	name: 'Paper Cuts',
	locale: 'fr' as const,
	timezone: 'Europe/Paris',
	primaryHost: 'papercuts.example',
	theme: { accent: '#1a2b3c' } as never
};
const event = (over: Partial<EventRow> = {}): EventRow =>
	({
		id: 'e1',
		siteId: 's1',
		slug: 'zine-fair',
		title: 'Zine fair',
		description: 'Bring **your** [zines](https://x.example).',
		startsAt: new Date('2031-05-10T08:00:00Z'),
		endsAt: new Date('2031-05-10T16:00:00Z'),
		allDay: false,
		venueName: 'La Halle',
		venueAddress: '1 rue X',
		ticketUrl: null,
		imageAssetId: 'a1',
		status: 'published',
		seriesId: null,
		occurrenceDate: null,
		detached: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		...over
	}) as EventRow;
const image = { cdnKey: 'sites/paper/event/a1', variants: [1600, 800], width: 1600, height: 900, altText: '' } as unknown as AssetRow;

describe('announcement', () => {
	it('is an embed in the site’s language with Discord timestamps, the place, an absolute image and the event link', () => {
		const [embed] = announcement({ site, event: event(), image }).embeds!;
		const t = Date.parse('2031-05-10T08:00:00Z') / 1000;
		expect(embed).toMatchObject({
			title: 'Zine fair',
			url: 'https://papercuts.example/events/zine-fair',
			description: 'Bring your zines.',
			color: 0x1a2b3c,
			fields: [
				{ name: 'Quand', value: `<t:${t}:F> (<t:${t}:R>)` },
				{ name: 'Où', value: 'La Halle, 1 rue X' }
			],
			image: { url: 'https://papercuts.example/media/sites/paper/event/a1-1600.webp' },
			footer: { text: 'Paper Cuts' }
		});
	});

	it('says what changed since it was announced, and shows a cancellation struck through without the image', () => {
		const first = event();
		const moved = event({ startsAt: new Date('2031-05-11T08:00:00Z'), endsAt: null, venueName: 'Le Local' });
		const [edited] = announcement({ site, event: moved, announced: { when: whenKey(first), where: 'La Halle, 1 rue X' } }).embeds!;
		expect(edited!.description).toContain('L’horaire a changé.');
		expect(edited!.description).toContain('Le lieu a changé.');
		const [cancelled] = announcement({ site, event: event({ status: 'cancelled' }), image }).embeds!;
		expect(cancelled!.title).toBe('Annulé : Zine fair');
		expect(cancelled!.fields![0]!.value).toMatch(/^~~<t:\d+:F>~~$/);
		expect(cancelled!.image).toBeUndefined();
		expect(withdrawnAnnouncement(site, 'Zine fair').embeds![0]!.title).toBe('Annulé : Zine fair');
	});

	it('never pings anyone', () => {
		expect(announcement({ site, event: event({ title: '@everyone party' }) }).allowed_mentions).toEqual({ parse: [] });
	});
});

describe('scheduled event', () => {
	it('is EXTERNAL at the place (an end is required: two hours when there is none), or in a voice/stage channel', () => {
		const external = scheduledEvent(site, event({ endsAt: null }), { entityType: 'external', channelId: null });
		expect(external).toMatchObject({
			name: 'Zine fair',
			entity_type: 3,
			privacy_level: 2,
			entity_metadata: { location: 'La Halle, 1 rue X' },
			scheduled_start_time: '2031-05-10T08:00:00.000Z',
			scheduled_end_time: '2031-05-10T10:00:00.000Z'
		});
		expect(external.description!.endsWith('\n\nhttps://papercuts.example/events/zine-fair')).toBe(true);
		expect(scheduledEvent(site, event(), { entityType: 'stage', channelId: '123456789012345678' })).toMatchObject({
			entity_type: 1,
			channel_id: '123456789012345678'
		});
		expect(
			scheduledEvent(site, event({ venueName: '', venueAddress: '' }), { entityType: 'external', channelId: null }).entity_metadata
		).toEqual({
			location: 'https://papercuts.example/events/zine-fair'
		});
	});
});

describe('webhook URLs and ids', () => {
	it('accepts Discord’s webhook URL shapes only', () => {
		const token = 'a'.repeat(68);
		expect(parseWebhookUrl(`https://discord.com/api/webhooks/123456789012345678/${token}`)).toEqual({ id: '123456789012345678', token });
		expect(parseWebhookUrl(`https://canary.discord.com/api/v10/webhooks/123456789012345678/${token}`)).not.toBeNull();
		expect(parseWebhookUrl(`https://discordapp.com/api/webhooks/123456789012345678/${token}`)).not.toBeNull();
		for (const bad of [
			`http://discord.com/api/webhooks/123456789012345678/${token}`,
			`https://discord.com/api/webhooks/123456789012345678/${token}?wait=true`,
			`https://discord.com.evil.example/api/webhooks/123456789012345678/${token}`,
			`https://evil.example/discord.com/api/webhooks/123456789012345678/${token}`,
			`https://discord.com/api/webhooks/123/${token}`,
			'https://discord.com/api/webhooks/123456789012345678/short'
		])
			expect(parseWebhookUrl(bad), bad).toBeNull();
	});

	it('makes snowflakes of moments (for history lookups) and no invite link without a bot', () => {
		expect(snowflakeAt(new Date(1420070400000 + 1))).toBe(String(1n << 22n));
		expect(botInviteUrl(null)).toBeNull();
	});
});
