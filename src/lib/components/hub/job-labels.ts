/**
 * The Jobs screen's words for what the queue holds: each known job kind and each pg-boss state
 * in the person's language. The technical name stays on screen beside it (what the logs and the
 * code say); a kind or state this list does not know shows as that name alone.
 */
import { m } from '$lib/paraglide/messages';

/** Job names as defined in server/jobs/definitions.ts (job-labels.test.ts keeps them in step). */
export const JOB_KIND_LABELS: Record<string, () => string> = {
	'domains.recheck': m.hub_job_kind_domains_recheck,
	'media.sweep': m.hub_job_kind_media_sweep,
	cleanups: m.hub_job_kind_cleanups,
	'content.publish-due': m.hub_job_kind_publish_due,
	'discord.event': m.hub_job_kind_discord_event,
	'discord.site': m.hub_job_kind_discord_site,
	'discord.tick': m.hub_job_kind_discord_tick,
	'mail.send': m.hub_job_kind_mail_send,
	'mail.digest': m.hub_job_kind_mail_digest,
	'mail.cancellation': m.hub_job_kind_mail_cancellation,
	'rich-text.rerender': m.hub_job_kind_rich_text_rerender,
	'fediverse.deliver': m.hub_job_kind_fediverse_deliver,
	'fediverse.series-window': m.hub_job_kind_fediverse_window
};

/** pg-boss's job states. */
export const JOB_STATE_LABELS: Record<string, () => string> = {
	created: m.hub_job_state_created,
	retry: m.hub_job_state_retry,
	active: m.hub_job_state_active,
	completed: m.hub_job_state_completed,
	cancelled: m.hub_job_state_cancelled,
	failed: m.hub_job_state_failed
};

export const jobKindLabel = (name: string): string | null => JOB_KIND_LABELS[name]?.() ?? null;
export const jobStateLabel = (state: string): string => JOB_STATE_LABELS[state]?.() ?? state;
