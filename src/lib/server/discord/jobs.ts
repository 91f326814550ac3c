/**
 * The Discord jobs. `discord.event` syncs one event (sync.ts) and is `stately` keyed by the event:
 * never two runs for one event at once, and changes made while one waits collapse into it.
 * `discord.site` fans out to every event of a site that may need it (after a series changed, a
 * resync, a disconnect, the settings changed); `discord.tick` does that hourly for every connected site, which brings
 * the next dates of series into the window and repairs whatever drifted.
 *
 * Retries: Discord down or a lost answer → pg-boss backoff (10 s doubling up to 30 min, for
 * about a day); a long rate limit → the same job again after Discord's `retry_after`.
 */
import type { JobDefinition } from '../jobs';
import { enqueueJob } from '../jobs';
import { siteRead } from '../db';
import { env } from '../env';
import { loadSiteContext } from '../hosts/site-context';
import { listDiscordCandidates, listDiscordSiteIds, releaseUncertainMessages } from '../queries/discord';
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import { DiscordFailure } from './api';
import { SCHEDULE_AHEAD_DAYS, syncDiscordEvent } from './sync';

const HEARTBEAT_SECONDS = 30;

export const DISCORD_EVENT_JOB = 'discord.event';
export const DISCORD_SITE_JOB = 'discord.site';

export const eventJobOptions = (eventId: string) => ({ singletonKey: eventId });

export const discordEvent: JobDefinition<{ siteId: string; eventId: string }> = {
	name: DISCORD_EVENT_JOB,
	queue: {
		policy: 'stately',
		retryLimit: 40,
		retryDelay: 10,
		retryBackoff: true,
		retryDelayMax: 1800,
		expireInSeconds: 300,
		heartbeatSeconds: HEARTBEAT_SECONDS
	},
	concurrency: 2,
	async run({ siteId, eventId }) {
		try {
			return await syncDiscordEvent(siteId, eventId);
		} catch (error) {
			if (error instanceof DiscordFailure && error.kind === 'rate_limited' && error.retryAfterMs) {
				// Honour Discord's retry_after exactly, rather than the queue's own backoff.
				await enqueueJob(
					DISCORD_EVENT_JOB,
					{ siteId, eventId },
					{ ...eventJobOptions(eventId), startAfter: Math.ceil(error.retryAfterMs / 1000) }
				);
				return { rateLimitedFor: error.retryAfterMs };
			}
			throw error;
		}
	}
};

export const discordSite: JobDefinition<{ siteId: string; force?: boolean }> = {
	name: DISCORD_SITE_JOB,
	// Standard, not stately: a pass asked for while one runs must not be dropped (it may read
	// the site before the change that asked for it); two passes only enqueue the same event jobs.
	queue: {
		policy: 'standard',
		retryLimit: 5,
		retryDelay: 30,
		retryBackoff: true,
		expireInSeconds: 300,
		heartbeatSeconds: HEARTBEAT_SECONDS
	},
	async run({ siteId, force }) {
		const site = await loadSiteContext(siteId, env().PLATFORM_DOMAIN);
		if (!site || site.status !== 'active') return { skipped: 'site gone or suspended' };
		if (force) await write({ siteId, actor: systemActor() }, () => releaseUncertainMessages(siteId));
		const now = new Date();
		const ids = await siteRead(siteId, () =>
			listDiscordCandidates(siteId, now, new Date(now.getTime() + SCHEDULE_AHEAD_DAYS * 86_400_000))
		);
		for (const eventId of ids) await enqueueJob(DISCORD_EVENT_JOB, { siteId, eventId }, eventJobOptions(eventId));
		return { events: ids.length };
	}
};

export const discordTick: JobDefinition<Record<string, never>> = {
	name: 'discord.tick',
	cron: '23 * * * *',
	queue: { policy: 'singleton', retryLimit: 2, retryDelay: 60, expireInSeconds: 600, heartbeatSeconds: HEARTBEAT_SECONDS },
	async run() {
		const sites = await listDiscordSiteIds();
		for (const siteId of sites) await enqueueJob(DISCORD_SITE_JOB, { siteId });
		return { sites: sites.length };
	}
};

export const discordJobs = [discordEvent, discordSite, discordTick] as JobDefinition<never>[];
