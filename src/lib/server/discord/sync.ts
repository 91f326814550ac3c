/**
 * Bring Discord in step with one event (run by the `discord.event` job, one at a time per event:
 * the queue's `stately` policy keyed by event id). Two independent parts:
 *
 * Announcement (channel webhook): a published event still to come is posted once; later edits
 * PATCH that same message (time/place changes when the site chose so, a cancellation marks it
 * cancelled, an event deleted or unpublished after its announcement is shown cancelled).
 *
 * Scheduled event (the platform's bot): one Guild Scheduled Event per published event (for a
 * series, only dates within SCHEDULE_AHEAD_DAYS), updated on change, cancelled with the event,
 * deleted when the event is deleted, unpublished, out of the window or the sync is turned off.
 *
 * No duplicates, even when the worker dies between Discord's answer and our record of it: before
 * a create is sent, `sending` and the link it carries are committed; after the answer, the id.
 * A run that finds `sending` knows an earlier one may have created the object, and looks for it
 * first — the scheduled event in the guild's list, the message in the channel's history (with the
 * bot) — recording it if found and creating it only if not. An announcement that cannot be looked
 * up (no bot in that server) is not sent again: it is marked `uncertain` and shown to the admins,
 * whose Resync posts it. Failures where no request left (no connection, 5xx, 429) are not in doubt.
 */
import { siteRead } from '../db';
import { env } from '../env';
import { loadSiteContext, type SiteContext } from '../hosts/site-context';
import { getEvent, type EventRow } from '../queries/events';
import { getAsset, type AssetRow } from '../queries/assets';
import {
	addDiscordProblem,
	deleteDiscordLink,
	getDiscordLink,
	getDiscordSettings,
	saveDiscordLink,
	type DiscordLinkRow,
	type DiscordSettingsRow
} from '../queries/discord';
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import {
	botConfigured,
	createScheduledEvent,
	deleteScheduledEvent,
	DiscordFailure,
	editScheduledEvent,
	editWebhookMessage,
	executeWebhook,
	isGone,
	listChannelMessages,
	listScheduledEvents,
	snowflakeAt,
	toFailure
} from './api';
import { announcement, digest, eventUrl, placeOf, scheduledEvent, whenKey, withdrawnAnnouncement, type EntityType } from './payloads';

/** Dates of a series get a Guild Scheduled Event this far ahead (the hourly pass adds the next ones). */
export const SCHEDULE_AHEAD_DAYS = 28;
/** Dates of a series are announced in the channel this far ahead (one post a week for a weekly series). */
export const ANNOUNCE_AHEAD_DAYS = 7;
const DAY = 86_400_000;

/** Tests only: a fault between Discord's answer and our record of it (the worker "dies" there). */
export const discordFaults: { afterCreate?: (what: 'message' | 'scheduled', eventId: string) => void | Promise<void> } = {};

interface Ctx {
	siteId: string;
	eventId: string;
	site: SiteContext;
	settings: DiscordSettingsRow | undefined;
	event: EventRow | undefined;
	image: AssetRow | undefined;
	link: DiscordLinkRow | undefined;
	now: Date;
}

export interface SyncOutcome {
	message: 'posted' | 'edited' | 'unchanged' | 'skipped' | 'uncertain' | 'failed';
	scheduled: 'created' | 'updated' | 'cancelled' | 'deleted' | 'unchanged' | 'skipped' | 'failed';
}

/** Bookkeeping writes: committed on their own, before and after each request. */
const record = (ctx: Ctx, input: Parameters<typeof saveDiscordLink>[2]) =>
	write({ siteId: ctx.siteId, actor: systemActor() }, async () => {
		ctx.link = await saveDiscordLink(ctx.siteId, ctx.eventId, input);
		return ctx.link;
	});

const problem = (ctx: Ctx, area: 'webhook' | 'events', failure: DiscordFailure) =>
	write({ siteId: ctx.siteId, actor: systemActor() }, () =>
		addDiscordProblem(ctx.siteId, { area, kind: failure.kind, detail: failure.message.slice(0, 500), eventId: ctx.eventId })
	);

/** Sync one event; throws a DiscordFailure worth retrying (unavailable, rate limited, uncertain create). */
export async function syncDiscordEvent(siteId: string, eventId: string, now = new Date()): Promise<SyncOutcome> {
	const site = await loadSiteContext(siteId, env().PLATFORM_DOMAIN);
	// A suspended site says nothing on Discord; resuming it runs the site's pass (services/sites.ts).
	if (!site || site.status !== 'active') return { message: 'skipped', scheduled: 'skipped' };
	const loaded = await siteRead(siteId, async () => {
		const [settings, event, link] = await Promise.all([
			getDiscordSettings(siteId),
			getEvent(siteId, eventId),
			getDiscordLink(siteId, eventId)
		]);
		const image = event?.imageAssetId ? await getAsset(siteId, event.imageAssetId) : undefined;
		return { settings, event, link, image };
	});
	const ctx: Ctx = { siteId, eventId, site, now, ...loaded };
	let retry: DiscordFailure | undefined;
	const outcome: SyncOutcome = { message: 'skipped', scheduled: 'skipped' };
	for (const [area, part] of [
		['webhook', syncMessage],
		['events', syncScheduled]
	] as const) {
		try {
			const result = await part(ctx);
			if (area === 'webhook') outcome.message = result as SyncOutcome['message'];
			else outcome.scheduled = result as SyncOutcome['scheduled'];
		} catch (error) {
			const failure = toFailure(error);
			// A lost answer is looked up on the retry: for now Discord simply did not answer.
			await problem(ctx, area, failure.kind === 'uncertain' ? new DiscordFailure('unavailable', failure.message) : failure);
			if (area === 'webhook') outcome.message = 'failed';
			else outcome.scheduled = 'failed';
			if (failure.kind !== 'rejected') retry ??= failure;
		}
	}
	// An event gone from the site whose Discord side is all done: forget it.
	const l = ctx.link;
	if (!ctx.event && l && !['created', 'cancelled', 'sending'].includes(l.scheduledState) && l.messageState !== 'sending' && !retry) {
		await write({ siteId, actor: systemActor() }, () => deleteDiscordLink(siteId, eventId));
	}
	if (retry) throw retry;
	return outcome;
}

const webhookOf = (s: DiscordSettingsRow | undefined) =>
	s?.webhookId && s.webhookToken ? { id: s.webhookId, token: s.webhookToken } : null;

/** Still to come, and (for a date of a series) within `aheadDays`. */
function inWindow(e: EventRow, now: Date, aheadDays: number): boolean {
	if ((e.endsAt ?? e.startsAt) < now) return false;
	return !e.seriesId || e.startsAt.getTime() < now.getTime() + aheadDays * DAY;
}

async function syncMessage(ctx: Ctx): Promise<SyncOutcome['message']> {
	const s = ctx.settings;
	const hook = webhookOf(s);
	if (!s || !hook) return 'skipped';
	if (ctx.link?.messageState === 'sending') await findLostMessage(ctx, s);
	const link = ctx.link;
	if (link?.messageState === 'uncertain') return 'uncertain';
	const e = ctx.event;

	if (link?.messageState !== 'posted' || !link.messageId) {
		if (!e || e.status !== 'published' || !s.announcePublish || !inWindow(e, ctx.now, ANNOUNCE_AHEAD_DAYS)) return 'skipped';
		const payload = announcement({ site: ctx.site, event: e, image: ctx.image });
		await record(ctx, {
			messageState: 'sending',
			messageId: null,
			messageClaimedAt: new Date(),
			messageUrl: eventUrl(ctx.site, e.slug),
			messageTitle: e.title,
			messageDigest: `live:${digest(payload)}`,
			messageWhen: whenKey(e),
			messageWhere: placeOf(e)
		});
		let message;
		try {
			message = await executeWebhook(hook, payload);
		} catch (error) {
			const failure = toFailure(error);
			// Refused, unavailable or rate limited: nothing was posted, the claim is void. Otherwise it stays.
			if (failure.kind !== 'uncertain') await record(ctx, { messageState: 'none' });
			throw failure;
		}
		await discordFaults.afterCreate?.('message', ctx.eventId);
		await record(ctx, { messageState: 'posted', messageId: message.id });
		return 'posted';
	}

	// Announced already: edit it when what it should show changed.
	const live = e?.status === 'published';
	if (!live && !s.announceCancel) return 'unchanged';
	const payload = e
		? announcement({ site: ctx.site, event: e, image: ctx.image, announced: { when: link.messageWhen, where: link.messageWhere } })
		: withdrawnAnnouncement(ctx.site, link.messageTitle ?? '');
	const next = `${live ? 'live' : 'cancelled'}:${digest(payload)}`;
	if (next === link.messageDigest) return 'unchanged';
	// A live edit is announced only when the site chose so, except taking back a "cancelled".
	if (live && !s.announceChanges && !link.messageDigest?.startsWith('cancelled:')) return 'unchanged';
	try {
		await editWebhookMessage(hook, link.messageId, payload);
	} catch (error) {
		// Deleted in Discord by a moderator: not posted again (that would announce it twice).
		if (isGone(error)) {
			await record(ctx, { messageState: 'deleted' });
			return 'unchanged';
		}
		throw error;
	}
	await record(ctx, { messageDigest: next, ...(e ? { messageTitle: e.title } : {}) });
	return 'edited';
}

/**
 * An earlier run claimed a post and recorded no answer. Look for the message in the channel (the
 * bot's view of it): found → record it; certainly not there → post; no way to look → `uncertain`.
 */
async function findLostMessage(ctx: Ctx, s: DiscordSettingsRow): Promise<void> {
	const link = ctx.link!;
	if (botConfigured() && s.webhookChannelId && link.messageClaimedAt && link.messageUrl) {
		try {
			const after = snowflakeAt(new Date(link.messageClaimedAt.getTime() - 60_000));
			const messages = await listChannelMessages(s.webhookChannelId, after);
			const ours = messages.filter((m) => m.webhook_id === s.webhookId);
			const found = ours.find((m) => m.embeds?.some((em) => em.url === link.messageUrl));
			if (found) {
				await record(ctx, { messageState: 'posted', messageId: found.id });
				return;
			}
			// A bot without the Message Content intent sees these messages without their embeds:
			// it cannot tell whether one of them is this announcement, so it must not post again.
			const hidden = ours.some((m) => !m.content && !m.embeds?.length);
			if (!hidden) {
				await record(ctx, { messageState: 'none' });
				return;
			}
		} catch (error) {
			const failure = toFailure(error);
			if (failure.kind !== 'rejected') throw failure;
			// The bot may not read that channel: fall through to "uncertain".
		}
	}
	await record(ctx, { messageState: 'uncertain' });
	await problem(ctx, 'webhook', new DiscordFailure('uncertain', link.messageTitle ?? ''));
}

async function syncScheduled(ctx: Ctx): Promise<SyncOutcome['scheduled']> {
	if (!botConfigured()) return 'skipped';
	const s = ctx.settings;
	const e = ctx.event;
	let link = ctx.link;
	if (link?.scheduledState === 'sending') link = await findLostScheduled(ctx);
	const guild = s?.syncEvents ? s.guildId : null;
	const existing = link && (link.scheduledState === 'created' || link.scheduledState === 'cancelled') ? link : undefined;
	const where = { entityType: (s?.entityType ?? 'external') as EntityType, channelId: s?.eventChannelId ?? null };
	const started = e ? e.startsAt <= ctx.now : false;
	const wanted = !!guild && !!e && e.status === 'published' && !started && inWindow(e, ctx.now, SCHEDULE_AHEAD_DAYS);
	const cancel = !!guild && !!e && e.status === 'cancelled' && !started;

	// Moved to another server, no longer wanted, or taken down: remove the old one.
	if (existing && (existing.scheduledGuildId !== guild || (!wanted && !cancel && !(started && e)))) {
		try {
			await deleteScheduledEvent(existing.scheduledGuildId!, existing.scheduledEventId!);
		} catch (error) {
			if (!isGone(error)) throw error;
		}
		await record(ctx, { scheduledState: 'deleted', scheduledEventId: null, scheduledDigest: null });
		if (!wanted) return 'deleted';
		return createScheduled(ctx, guild!, e!, where);
	}
	if (!e || started) return 'unchanged';
	if (cancel) {
		if (existing?.scheduledState !== 'created') return 'unchanged';
		try {
			await editScheduledEvent(existing.scheduledGuildId!, existing.scheduledEventId!, { status: 4 /* Canceled */ });
		} catch (error) {
			if (!isGone(error)) throw error;
		}
		await record(ctx, { scheduledState: 'cancelled', scheduledDigest: null });
		return 'cancelled';
	}
	if (!wanted) return 'skipped';
	// A cancelled Discord event cannot be scheduled again: a restored event gets a new one.
	if (!existing || existing.scheduledState === 'cancelled') return createScheduled(ctx, guild!, e, where);
	const body = scheduledEvent(ctx.site, e, where);
	const next = digest(body);
	if (next === existing.scheduledDigest) return 'unchanged';
	try {
		// Back to a place from a channel: Discord wants the channel cleared explicitly.
		await editScheduledEvent(guild!, existing.scheduledEventId!, where.entityType === 'external' ? { ...body, channel_id: null } : body);
	} catch (error) {
		if (!isGone(error)) throw error;
		// Deleted in Discord meanwhile: the site's event is still on, so it is made again.
		await record(ctx, { scheduledState: 'deleted', scheduledEventId: null });
		return createScheduled(ctx, guild!, e, where);
	}
	await record(ctx, { scheduledDigest: next });
	return 'updated';
}

async function createScheduled(
	ctx: Ctx,
	guild: string,
	e: EventRow,
	where: { entityType: EntityType; channelId: string | null }
): Promise<'created'> {
	const body = scheduledEvent(ctx.site, e, where);
	await record(ctx, {
		scheduledState: 'sending',
		scheduledEventId: null,
		scheduledGuildId: guild,
		scheduledClaimedAt: new Date(),
		scheduledUrl: eventUrl(ctx.site, e.slug),
		scheduledDigest: digest(body)
	});
	let created;
	try {
		created = await createScheduledEvent(guild, body);
	} catch (error) {
		const failure = toFailure(error);
		if (failure.kind !== 'uncertain') await record(ctx, { scheduledState: 'none' });
		throw failure;
	}
	await discordFaults.afterCreate?.('scheduled', ctx.eventId);
	await record(ctx, { scheduledState: 'created', scheduledEventId: created.id });
	return 'created';
}

/** An earlier run claimed a create and recorded no answer: find it in the guild's list (by its link) or start over. */
async function findLostScheduled(ctx: Ctx): Promise<DiscordLinkRow> {
	const link = ctx.link!;
	if (!link.scheduledGuildId || !link.scheduledUrl) return record(ctx, { scheduledState: 'none' });
	const list = await listScheduledEvents(link.scheduledGuildId);
	const found = list.find((ev) => ev.description?.includes(link.scheduledUrl!) && ev.status === 1);
	return record(ctx, found ? { scheduledState: 'created', scheduledEventId: found.id } : { scheduledState: 'none' });
}
