/**
 * Discord per site (admins and up, like the other settings): the channel webhook and what it
 * announces, the Guild Scheduled Events sync through the platform's bot, resync and disconnect;
 * and the two calls the event and series services make inside their writes, which put the sync
 * job in the outbox (it runs in the worker, after the commit, with retries: discord/jobs.ts).
 *
 * A webhook is saved only after Discord accepted it twice: it exists (its server and channel
 * come from Discord, never from the form) and one test message went through. The server the
 * bot syncs to is the webhook's: a site can only ever create events in a server where someone
 * could make a webhook, never in another collective's server that the shared bot also sits in.
 */
import { z } from 'zod';
import { ChannelType } from 'discord-api-types/v10';
import { invalidInput } from '../errors';
import { fields, parseInput, say } from '../input';
import { siteRead } from '../db';
import {
	countDiscordLinks,
	deleteDiscordSettings,
	getDiscordLink,
	getDiscordSettings,
	listDiscordProblems,
	saveDiscordSettings
} from '../queries/discord';
import {
	botConfigured,
	botInviteUrl,
	executeWebhook,
	getChannel,
	getGuild,
	getWebhook,
	parseWebhookUrl,
	toFailure,
	type DiscordFailure
} from '../discord/api';
import { testMessage } from '../discord/payloads';
import { SCHEDULE_AHEAD_DAYS } from '../discord/sync';
import { DISCORD_EVENT_JOB, DISCORD_SITE_JOB, eventJobOptions } from '../discord/jobs';
import { m } from '../../paraglide/messages';
import { allow, auditActor, type SiteActor } from './actor';
import { write, type Write } from './write';

const snowflake = z
	.string()
	.trim()
	.regex(/^\d{17,20}$/);

export interface DiscordView {
	connected: boolean;
	webhookId: string | null;
	channelId: string | null;
	guildId: string | null;
	announcePublish: boolean;
	announceChanges: boolean;
	announceCancel: boolean;
	syncEvents: boolean;
	entityType: 'external' | 'voice' | 'stage';
	eventChannelId: string;
	bot: { available: boolean; inviteUrl: string | null };
	weeks: number;
	stats: { messages: number; scheduled: number };
	problems: { id: string; area: string; kind: string; detail: string; at: string; eventTitle: string | null }[];
}

export async function discordSettingsView(actor: SiteActor): Promise<DiscordView> {
	const who = allow(actor, 'site.settings');
	const siteId = who.site.id;
	return siteRead(siteId, async () => {
		const [s, stats, problems] = await Promise.all([getDiscordSettings(siteId), countDiscordLinks(siteId), listDiscordProblems(siteId)]);
		const connected = Boolean(s?.webhookId && s.webhookToken);
		return {
			connected,
			webhookId: s?.webhookId ?? null,
			channelId: s?.webhookChannelId ?? null,
			guildId: s?.guildId ?? null,
			announcePublish: s?.announcePublish ?? true,
			announceChanges: s?.announceChanges ?? true,
			announceCancel: s?.announceCancel ?? true,
			syncEvents: s?.syncEvents ?? false,
			entityType: (s?.entityType ?? 'external') as DiscordView['entityType'],
			eventChannelId: s?.eventChannelId ?? '',
			bot: { available: botConfigured(), inviteUrl: botInviteUrl(s?.guildId ?? null) },
			weeks: SCHEDULE_AHEAD_DAYS / 7,
			stats,
			problems: problems.map((p) => ({ ...p, at: p.at.toISOString(), eventTitle: p.eventTitle ?? null }))
		};
	});
}

/** Why Discord refused, in words for the form (its own message, or that it did not answer). */
function reason(failure: DiscordFailure): string {
	if (failure.kind !== 'rejected') return m.discord_error_unavailable();
	return [failure.message, ...failure.fieldErrors].join('; ');
}

const webhookSchema = z.object({
	webhookUrl: z.string().trim().max(300).optional().default(''),
	announcePublish: fields.checkbox(),
	announceChanges: fields.checkbox(),
	announceCancel: fields.checkbox()
});

/**
 * Save the announcement settings. A pasted webhook URL must have Discord's shape, be known to
 * Discord, and take one test message; only then is anything stored. Empty keeps the current one.
 */
export async function saveDiscordWebhook(actor: SiteActor, input: unknown): Promise<{ tested: boolean }> {
	const who = allow(actor, 'site.settings');
	const site = who.site;
	const data = parseInput(webhookSchema, input);
	const current = await siteRead(site.id, () => getDiscordSettings(site.id));
	const choices = { announcePublish: data.announcePublish, announceChanges: data.announceChanges, announceCancel: data.announceCancel };
	let hook: { webhookId: string; webhookToken: string; webhookChannelId: string | null; guildId: string | null } | null = null;
	if (data.webhookUrl) {
		const ref = parseWebhookUrl(data.webhookUrl);
		if (!ref) throw invalidInput({ webhookUrl: m.discord_error_webhook_shape() });
		let info;
		try {
			info = await getWebhook(ref);
		} catch (error) {
			const failure = toFailure(error);
			if (failure.kind === 'rejected' && (failure.status === 404 || failure.status === 401))
				throw invalidInput({ webhookUrl: m.discord_error_webhook_unknown() });
			throw invalidInput({ webhookUrl: m.discord_error_test_failed({ reason: reason(failure) }) });
		}
		try {
			await executeWebhook(ref, testMessage(site));
		} catch (error) {
			throw invalidInput({ webhookUrl: m.discord_error_test_failed({ reason: reason(toFailure(error)) }) });
		}
		hook = { webhookId: ref.id, webhookToken: ref.token, webhookChannelId: info.channel_id ?? null, guildId: info.guild_id ?? null };
	} else if (!current?.webhookId) {
		throw invalidInput({ webhookUrl: m.discord_error_webhook_required() });
	}
	await write({ siteId: site.id, actor: auditActor(who) }, async (w) => {
		await saveDiscordSettings(site.id, { ...choices, ...(hook ?? {}) });
		await w.audit({ action: hook ? 'discord.webhook' : 'discord.announce', targetType: 'site', targetId: site.id });
		await w.enqueue({ name: DISCORD_SITE_JOB, data: { siteId: site.id } });
	});
	return { tested: hook !== null };
}

const eventsSchema = z.object({
	syncEvents: fields.checkbox(),
	entityType: z.enum(['external', 'voice', 'stage'], say(m.discord_error_entity_type)).default('external'),
	eventChannelId: z.string().trim().max(25).optional().default('')
});

/** Save the Guild Scheduled Events sync: the bot must be in the webhook's server (and see the channel). */
export async function saveDiscordEvents(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.settings');
	const site = who.site;
	const data = parseInput(eventsSchema, input);
	if (!botConfigured()) throw invalidInput({ syncEvents: m.discord_error_bot_missing() });
	const current = await siteRead(site.id, () => getDiscordSettings(site.id));
	if (!current?.webhookId || !current.guildId) throw invalidInput({ syncEvents: m.discord_error_not_connected() });
	const channelId = data.entityType === 'external' ? null : data.eventChannelId;
	if (channelId !== null && !snowflake.safeParse(channelId).success)
		throw invalidInput({ eventChannelId: m.discord_error_channel_required() });
	if (data.syncEvents) {
		try {
			await getGuild(current.guildId);
		} catch (error) {
			const failure = toFailure(error);
			if (failure.kind === 'rejected') throw invalidInput({ syncEvents: m.discord_error_bot_not_in_guild() });
			throw invalidInput({ syncEvents: m.discord_error_unavailable() });
		}
		if (channelId) {
			const wanted = data.entityType === 'stage' ? ChannelType.GuildStageVoice : ChannelType.GuildVoice;
			let channel;
			try {
				channel = await getChannel(channelId);
			} catch (error) {
				const failure = toFailure(error);
				if (failure.kind !== 'rejected') throw invalidInput({ eventChannelId: m.discord_error_unavailable() });
			}
			if (!channel || channel.type !== wanted || !('guild_id' in channel) || channel.guild_id !== current.guildId)
				throw invalidInput({ eventChannelId: m.discord_error_channel_wrong() });
		}
	}
	await write({ siteId: site.id, actor: auditActor(who) }, async (w) => {
		await saveDiscordSettings(site.id, { syncEvents: data.syncEvents, entityType: data.entityType, eventChannelId: channelId });
		await w.audit({ action: 'discord.events', targetType: 'site', targetId: site.id, detail: { sync: data.syncEvents ? 'on' : 'off' } });
		await w.enqueue({ name: DISCORD_SITE_JOB, data: { siteId: site.id } });
	});
}

/** Check every event against Discord again; announcements held back as uncertain are posted. */
export async function resyncDiscord(actor: SiteActor): Promise<void> {
	const who = allow(actor, 'site.settings');
	const siteId = who.site.id;
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		if (!(await getDiscordSettings(siteId))) throw invalidInput({ resync: m.discord_error_not_connected() });
		await w.audit({ action: 'discord.resync', targetType: 'site', targetId: siteId });
		await w.enqueue({ name: DISCORD_SITE_JOB, data: { siteId, force: true } });
	});
}

/** Forget the webhook and the sync; the worker then removes the server events the bot made. */
export async function disconnectDiscord(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.settings');
	const siteId = who.site.id;
	parseInput(z.object({ confirm: z.literal('yes', { message: m.discord_error_confirm() }) }), input);
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		// Nothing connected: nothing to do (a second click, another tab).
		if (!(await deleteDiscordSettings(siteId))) return;
		await w.audit({ action: 'discord.disconnect', targetType: 'site', targetId: siteId });
		await w.enqueue({ name: DISCORD_SITE_JOB, data: { siteId } });
	});
}

/**
 * Inside an event's write: queue its Discord sync (if the site uses Discord, or the event was
 * on Discord before). The job exists if and only if the write commits.
 */
export async function discordEventChanged(w: Write, eventId: string): Promise<void> {
	const siteId = w.siteId;
	if (!siteId) return;
	if (!(await getDiscordSettings(siteId)) && !(await getDiscordLink(siteId, eventId))) return;
	await w.enqueue({ name: DISCORD_EVENT_JOB, data: { siteId, eventId }, options: eventJobOptions(eventId) });
}

/**
 * Inside a write that touched many of the site's events at once (a series' dates added, moved or
 * removed; the site resumed after a suspension): the site's pass runs over all of them.
 */
export async function discordSiteChanged(w: Write): Promise<void> {
	const siteId = w.siteId;
	if (!siteId || !(await getDiscordSettings(siteId))) return;
	await w.enqueue({ name: DISCORD_SITE_JOB, data: { siteId } });
}
