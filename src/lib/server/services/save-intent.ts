/** The editors' save buttons (events and pages), one rule for what they leave. */
import { z } from 'zod';
import { instantFromWallTime, parseLocalDateTime } from '../../time';
import { say } from '../input';
import { m } from '../../paraglide/messages';

/** Publish it, keep it a draft, keep its status, or have it published later by itself. */
export const SAVE_INTENTS = ['publish', 'draft', 'save', 'schedule'] as const;
export type SaveIntent = (typeof SAVE_INTENTS)[number];

/** The status a save leaves: the button pressed decides; "save" keeps what it was (a new one: draft). */
export function statusAfterSave<S extends string>(
	intent: SaveIntent | undefined,
	explicit: S | undefined,
	current: S | undefined,
	states: { published: S; draft: S }
): S {
	if (intent === 'publish') return states.published;
	if (intent === 'draft' || intent === 'schedule') return states.draft;
	return explicit ?? current ?? states.draft;
}

/**
 * The editors' "publish at" field: wall time (`YYYY-MM-DDTHH:MM`, seconds optional, as a
 * datetime-local input sends them) in the site's timezone. Absent
 * (a client that does not send it) keeps what was scheduled; empty clears it.
 */
export const publishAtField = z
	.union([
		z.literal(''),
		z
			.string()
			.trim()
			.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, say(m.admin_error_pick_date_time))
	])
	.optional();

/**
 * When a draft is published by itself (null: never). Only a draft waits: "Schedule" needs a time
 * in the future; "Publish" and "Save draft" (on a scheduled draft: "Unschedule") clear it; "Save"
 * keeps the schedule, moved if the field was changed.
 */
export function publishAtAfterSave(
	intent: SaveIntent | undefined,
	field: string | undefined,
	current: Date | null | undefined,
	draftAfterSave: boolean,
	timeZone: string,
	now: Date
): { ok: true; publishAt: Date | null } | { ok: false; error: string } {
	if (!draftAfterSave || intent === 'publish' || intent === 'draft') return { ok: true, publishAt: null };
	if (field === undefined)
		return intent === 'schedule' ? { ok: false, error: m.admin_error_pick_publish_time() } : { ok: true, publishAt: current ?? null };
	if (field === '') return intent === 'schedule' ? { ok: false, error: m.admin_error_pick_publish_time() } : { ok: true, publishAt: null };
	const wall = parseLocalDateTime(field.slice(0, 16));
	const seconds = Number(field.slice(17) || 0);
	if (!wall || seconds > 59) return { ok: false, error: m.admin_error_pick_date_time() };
	const publishAt = new Date(instantFromWallTime(wall, timeZone).getTime() + seconds * 1000);
	// Unchanged and already due (the worker is about to publish it): keep it rather than refuse the save.
	if (publishAt <= now && publishAt.getTime() !== current?.getTime()) return { ok: false, error: m.admin_error_future_time() };
	return { ok: true, publishAt };
}
