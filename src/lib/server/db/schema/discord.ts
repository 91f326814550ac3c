/**
 * Discord per site: the channel webhook that announces events, the Guild Scheduled Events sync
 * through the platform's bot, which Discord object stands for which event, and the last problems.
 */
import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { site } from './sites';

const siteRef = () =>
	uuid('site_id')
		.notNull()
		.references(() => site.id, { onDelete: 'cascade' });

/** One row per site that connected Discord. */
export const discordSettings = pgTable('discord_settings', {
	siteId: uuid('site_id')
		.primaryKey()
		.references(() => site.id, { onDelete: 'cascade' }),
	/** From the pasted webhook URL (`/api/webhooks/<id>/<token>`); the token is a secret, never shown again. */
	webhookId: text('webhook_id'),
	webhookToken: text('webhook_token'),
	/** Where the webhook posts, as Discord reported it when the test message went through. */
	webhookChannelId: text('webhook_channel_id'),
	/** The server (guild) of the webhook's channel: the only one this site may sync events to. */
	guildId: text('guild_id'),
	announcePublish: boolean('announce_publish').notNull().default(true),
	announceChanges: boolean('announce_changes').notNull().default(true),
	announceCancel: boolean('announce_cancel').notNull().default(true),
	/** Guild Scheduled Events through the platform's bot. */
	syncEvents: boolean('sync_events').notNull().default(false),
	/** `external` (the venue as location), `voice` or `stage` (then `eventChannelId`). */
	entityType: text('entity_type').notNull().default('external'),
	eventChannelId: text('event_channel_id'),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * Which Discord objects stand for one event: its announcement (webhook message) and its Guild
 * Scheduled Event. No foreign key to `event`: when the event is deleted the row must outlive it
 * until the worker has deleted the Discord side too.
 *
 * `*_state` makes the sends idempotent (lib/server/discord/sync.ts): `sending` is committed
 * before the request leaves, and the id after the answer; a run that finds `sending` knows an
 * earlier run may have posted, and looks the object up before posting again.
 */
export const discordEventLink = pgTable(
	'discord_event_link',
	{
		siteId: siteRef(),
		eventId: uuid('event_id').notNull(),
		/** none | sending | posted | uncertain (sent, not confirmed, and no way to look it up). */
		messageState: text('message_state').notNull().default('none'),
		messageId: text('message_id'),
		/** The event link the message carries: how a lost answer is found again in the channel. */
		messageUrl: text('message_url'),
		/** The title it was announced with (an event deleted since is shown cancelled under it). */
		messageTitle: text('message_title'),
		/** When the last send was claimed (a lookup searches the channel from here). */
		messageClaimedAt: timestamp('message_claimed_at', { withTimezone: true }),
		/** Digest of what the message shows now: an edit is sent only when it changes. */
		messageDigest: text('message_digest'),
		/** What the last announcement said about when and where (time/place changes are told apart). */
		messageWhen: text('message_when'),
		messageWhere: text('message_where'),
		/** none | sending | created | cancelled | deleted */
		scheduledState: text('scheduled_state').notNull().default('none'),
		scheduledEventId: text('scheduled_event_id'),
		scheduledClaimedAt: timestamp('scheduled_claimed_at', { withTimezone: true }),
		/** The event link its description ends with: how a lost answer is found again in the guild. */
		scheduledUrl: text('scheduled_url'),
		scheduledDigest: text('scheduled_digest'),
		/** The guild the scheduled event lives in (the settings may move to another later). */
		scheduledGuildId: text('scheduled_guild_id'),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.siteId, t.eventId] })]
);

/** The last problems talking to Discord, for the settings screen (a few per site are kept). */
export const discordProblem = pgTable(
	'discord_problem',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		eventId: uuid('event_id'),
		/** webhook | events */
		area: text('area').notNull(),
		/** A DiscordFailure kind (rejected, unavailable, rate_limited, uncertain): the screen words it. */
		kind: text('kind').notNull(),
		/** Discord's own words, or what was being done (not translated). */
		detail: text('detail').notNull().default(''),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('discord_problem_site_at_idx').on(t.siteId, t.at)]
);
