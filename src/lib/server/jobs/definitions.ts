/**
 * The jobs this application runs. Scheduled ones are filed once per cron occurrence by pg-boss,
 * however many workers run; each runs on one worker, and is retried (with backoff) when it throws
 * or when its worker stops sending heartbeats.
 */
import { recheckDueDomains } from '../services/domain-checks';
import { cleanUpExpiredRows } from '../services/cleanups';
import { sweepOrphans } from '../media/sweep';
import { publishDueContent, PUBLISH_DUE_JOB } from '../services/scheduled-publishing';
import { rerenderStaleTexts } from '../services/rich-text';
import { log } from '../log';
import { discordJobs } from '../discord/jobs';
import { deliverMail, type OutgoingMail } from '../mail/deliver';
import { MAIL_CANCELLATION_JOB, MAIL_SEND_JOB, sendCancellationMails, sendWeeklyDigests } from '../services/followers';
import { deliver } from '../fediverse/delivery';
import { announceDatesEnteringWindow } from '../services/event-changed';
import type { JobDefinition } from './index';

/** Heartbeats every few seconds; a worker silent this long is taken for dead (pg-boss minimum: 10). */
const HEARTBEAT_SECONDS = 30;

/**
 * A scheduled pass over every site (clean-ups, digests, the fediverse window): one at a time, a
 * few retries a minute or more apart, given up after a quarter of an hour (the next pass comes).
 */
const SCHEDULED_PASS = {
	policy: 'singleton',
	retryLimit: 3,
	retryDelay: 60,
	retryBackoff: true,
	expireInSeconds: 900,
	heartbeatSeconds: HEARTBEAT_SECONDS
} as const;

export const domainRecheck: JobDefinition<Record<string, never>> = {
	name: 'domains.recheck',
	cron: '* * * * *',
	queue: { policy: 'singleton', retryLimit: 2, retryDelay: 30, expireInSeconds: 600, heartbeatSeconds: HEARTBEAT_SECONDS },
	async run() {
		const report = await recheckDueDomains();
		if (report.verified.length || report.misconfigured.length || report.detached.length || report.restored.length) {
			log.info('domains re-checked', { ...report });
		}
		return report;
	}
};

export const mediaSweep: JobDefinition<Record<string, never>> = {
	name: 'media.sweep',
	cron: '17 * * * *',
	queue: {
		policy: 'singleton',
		retryLimit: 3,
		retryDelay: 60,
		retryBackoff: true,
		expireInSeconds: 3600,
		heartbeatSeconds: HEARTBEAT_SECONDS
	},
	async run() {
		// Objects without a row (older than an hour) go; rows without objects are only reported.
		const report = await sweepOrphans({ remove: true, keepRows: true, minAgeMs: 3_600_000 });
		const rowsWithoutObjects = report.sites.reduce((n, s) => n + s.rowsWithoutObjects.length, 0);
		if (report.removedObjects || rowsWithoutObjects) log.info('media swept', { removedObjects: report.removedObjects, rowsWithoutObjects });
		return { removedObjects: report.removedObjects, rowsWithoutObjects, staleTempFiles: report.staleTempFiles };
	}
};

export const cleanups: JobDefinition<Record<string, never>> = {
	name: 'cleanups',
	cron: '41 * * * *',
	queue: SCHEDULED_PASS,
	run: () => cleanUpExpiredRows()
};

/** Scheduled drafts: one job per save at its time, and this queue's minute pass as the backstop. */
export const publishDue: JobDefinition<Record<string, never>> = {
	name: PUBLISH_DUE_JOB,
	cron: '* * * * *',
	// One pass at a time: two at once would only race to publish the same rows (the update is conditional).
	queue: {
		policy: 'singleton',
		retryLimit: 5,
		retryDelay: 5,
		retryBackoff: true,
		expireInSeconds: 300,
		heartbeatSeconds: HEARTBEAT_SECONDS
	},
	async run() {
		const report = await publishDueContent();
		if (report.events.length || report.pages.length)
			log.info('scheduled content published', { events: report.events.length, pages: report.pages.length });
		return report;
	}
};

/**
 * One mail to the SMTP server. While the server is down or refuses, the job fails and is retried
 * with backoff (30 s doubling, at most an hour apart, for about two days); deliverMail never sends
 * a key twice.
 */
export const mailSend: JobDefinition<OutgoingMail> = {
	name: MAIL_SEND_JOB,
	queue: {
		retryLimit: 40,
		retryDelay: 30,
		retryBackoff: true,
		retryDelayMax: 3600,
		expireInSeconds: 120,
		heartbeatSeconds: HEARTBEAT_SECONDS
	},
	run: (mail) => deliverMail(mail).then((r) => ({ sent: r.sent, ...(r.dropped ? { dropped: r.dropped } : {}) }))
};

/** Weekly digests: every 15 minutes, for the sites whose chosen local day and hour it is. */
export const mailDigest: JobDefinition<Record<string, never>> = {
	name: 'mail.digest',
	cron: '*/15 * * * *',
	queue: SCHEDULED_PASS,
	run: () => sendWeeklyDigests()
};

export const mailCancellation: JobDefinition<{ siteId: string; eventId: string }> = {
	name: MAIL_CANCELLATION_JOB,
	queue: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 600, heartbeatSeconds: HEARTBEAT_SECONDS },
	run: (data) => sendCancellationMails(data)
};

/**
 * Texts stored by an older renderer (after a deploy that bumped RENDER_VERSION), or written with
 * images or cards by a writer that does not render (series dates): HTML stored again. Until then
 * visitors get them rendered on the fly, so this only saves work.
 */
export const richTextRerender: JobDefinition<Record<string, never>> = {
	name: 'rich-text.rerender',
	cron: '*/10 * * * *',
	queue: { policy: 'singleton', retryLimit: 2, retryDelay: 30, expireInSeconds: 600, heartbeatSeconds: HEARTBEAT_SECONDS },
	async run() {
		const updated = await rerenderStaleTexts();
		if (updated) log.info('rich text re-rendered', { updated });
		return { updated };
	}
};

/** Series dates coming within the fediverse's four-week window are told to followers (event-changed.ts). */
export const fediverseWindow: JobDefinition<Record<string, never>> = {
	name: 'fediverse.series-window',
	cron: '23 * * * *',
	queue: SCHEDULED_PASS,
	async run() {
		return { announced: await announceDatesEnteringWindow() };
	}
};

export const jobDefinitions: JobDefinition<never>[] = [
	domainRecheck,
	mediaSweep,
	cleanups,
	publishDue,
	...discordJobs,
	mailSend,
	mailDigest,
	mailCancellation,
	richTextRerender,
	deliver,
	fediverseWindow
] as JobDefinition<never>[];
