/**
 * Recurring events (editors and up). A series holds an RRULE over wall-clock dates in the site's
 * timezone and the template of its dates; its occurrences are ordinary `event` rows materialised
 * HORIZON_DAYS ahead, so lists, pages, feeds and the render cache read plain rows.
 *
 * - Saving a series rewrites its dates still to come that nobody changed on their own: new dates
 *   appear, dates the rule no longer yields go, the rest take the new template. Past dates, and
 *   dates edited one by one (`detached`), keep what they are; a cancelled date stays cancelled.
 * - One date is edited, cancelled and restored through the ordinary event services
 *   (services/events.ts): it keeps its URL /events/<series-slug>/<yyyy-mm-dd> and its
 *   occurrence_date (its RECURRENCE-ID) even when moved to another day.
 * - Until the jobs worker extends horizons, /events, the calendar, the feed and the sitemap call
 *   `extendSeriesAhead`, one indexed query unless a series' materialised dates run out within
 *   EXTEND_WHEN_DAYS. The home page does not: its few next dates are far inside the horizon, and
 *   its cold render keeps its query budget (tests/http/render-cache.test.ts).
 */
import { z } from 'zod';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput, say } from '../input';
import { m } from '../../paraglide/messages';
import { siteRead } from '../db';
import {
	createSeries,
	deleteEventsByIds,
	deleteSeriesRow,
	detachOccurrencesBefore,
	eventSlugTaken,
	getSeries,
	getSeriesBySlug,
	insertOccurrences,
	listOccurrences,
	listSeriesToExtend,
	updateEvent,
	updateSeries,
	type EventInput,
	type EventRow,
	type SeriesInput,
	type SeriesRow
} from '../queries/events';
import { getAsset, updateAssetAlt, type AssetRow } from '../queries/assets';
import { deleteAsset } from '../media';
import { toLocalDateInput } from '../../time';
import { endsNextDay, eventFormSchema, eventSlug, eventTiming, type EventForm } from './event-form';
import { listTagIdsOf, setTagsOf } from '../queries/tags';
import { resolveEventLinks } from './places';
import { moveOccurrencesFrom } from '../queries/events';
import {
	addDays,
	daysBetween,
	describeRule,
	formFromRule,
	occurrenceDates,
	previewRule,
	repeatFormSchema,
	ruleFromForm
} from './recurrence';
import { statusAfterSave } from './save-intent';
import { fileChosen, storeImage } from './media';
import { applyFocal, focalOf } from './focal';
import { keepRevision, ownRevision } from './revisions';
import { can } from '../auth/permissions';
import { allow, auditActor, systemActor, type SiteActor } from './actor';
import { write } from './write';
import { occurrencesChanged } from './event-changed';
import type { SiteContext } from '../hosts/site-context';

/** How far ahead occurrences exist as rows. */
export const HORIZON_DAYS = 366;
/** Extend once the materialised dates end sooner than this. */
const EXTEND_WHEN_DAYS = 335;

export const seriesFormSchema = eventFormSchema.extend(repeatFormSchema.shape).extend({
	/** "This and following": a date of the series from which the changes apply (empty: every date). */
	applyFrom: z
		.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, say(m.site_admin_error_pick_date))])
		.optional()
		.default('')
});

const slugTakenMessage = (slug: string) => m.site_admin_error_series_slug_taken({ slug });

/** The URL slug of one date of a series. */
export const occurrenceSlug = (seriesSlug: string, date: string) => `${seriesSlug}/${date}`;

async function ownSeries(siteId: string, id: unknown): Promise<SeriesRow> {
	const row = isUuid(id) ? await getSeries(siteId, id) : undefined;
	if (!row) throw notFound();
	return row;
}

/** Start and end of the series' occurrence on `date`, in the site's zone (DST-correct by construction). */
export function occurrenceTiming(series: SeriesRow, date: string, timeZone: string): { startsAt: Date; endsAt: Date | null } | null {
	const offset = series.endDayOffset;
	const form = {
		allDay: series.allDay,
		startDate: date,
		startTime: series.startTime ?? '',
		endDate: offset > 0 && (series.allDay || series.endTime) ? addDays(date, offset) : '',
		endTime: series.endTime ?? ''
	} as EventForm;
	const timing = eventTiming(form, timeZone);
	return timing.ok ? { startsAt: timing.startsAt, endsAt: timing.endsAt } : null;
}

function occurrenceValues(series: SeriesRow, date: string, timeZone: string): Omit<EventInput, 'status'> | null {
	const timing = occurrenceTiming(series, date, timeZone);
	if (!timing) return null;
	return {
		slug: occurrenceSlug(series.slug, date),
		title: series.title,
		description: series.description,
		startsAt: timing.startsAt,
		endsAt: timing.endsAt,
		allDay: series.allDay,
		venueName: series.venueName,
		venueAddress: series.venueAddress,
		ticketUrl: series.ticketUrl,
		onlineUrl: series.onlineUrl,
		onlineRevealMinutes: series.onlineRevealMinutes,
		placeId: series.placeId,
		imageAssetId: series.imageAssetId,
		seriesId: series.id,
		occurrenceDate: date,
		detached: false
	};
}

const occurrenceStatus = (series: SeriesRow) => (series.status === 'published' ? 'published' : 'draft');

/**
 * Make the series' rows match its rule up to the horizon. `rewrite`: also bring the dates still
 * to come up to date with the template and drop those the rule no longer yields (after a save);
 * without it only missing dates are added (extending the horizon). Runs inside a write.
 */
async function materialise(site: Pick<SiteContext, 'id' | 'timezone'>, series: SeriesRow, now: Date, rewrite: boolean) {
	const until = addDays(toLocalDateInput(now, site.timezone), HORIZON_DAYS);
	const from = rewrite ? series.firstDate : addDays(series.materialisedUntil, 1);
	const dates = occurrenceDates(series.rrule, series.firstDate, until, from);
	const existing = await listOccurrences(site.id, series.id);
	const byDate = new Map(existing.map((e) => [e.occurrenceDate, e]));
	const toInsert: EventInput[] = [];
	for (const date of dates) {
		const values = occurrenceValues(series, date, site.timezone);
		if (!values) continue;
		const row = byDate.get(date);
		if (!row) {
			toInsert.push({ ...values, status: occurrenceStatus(series) });
			continue;
		}
		if (!rewrite || row.detached || row.startsAt < now) continue;
		// A date keeps its address, also after a split moved it to the new series.
		await updateEvent(site.id, row.id, {
			...values,
			slug: row.slug,
			status: row.status === 'cancelled' ? 'cancelled' : occurrenceStatus(series)
		});
	}
	if (rewrite) {
		const wanted = new Set(dates);
		const gone = existing.filter((e) => !wanted.has(e.occurrenceDate ?? '') && !e.detached && e.startsAt >= now);
		await deleteEventsByIds(
			site.id,
			gone.map((e) => e.id)
		);
	}
	await insertOccurrences(site.id, toInsert);
	await updateSeries(site.id, series.id, { materialisedUntil: until });
}

/** The series' template from the editor's fields. */
function seriesInput(
	data: z.output<typeof seriesFormSchema>,
	slug: string,
	rrule: string,
	status: SeriesRow['status']
): Omit<SeriesInput, 'imageAssetId' | 'materialisedUntil'> {
	return {
		slug,
		rrule,
		firstDate: data.startDate,
		allDay: data.allDay,
		startTime: data.allDay ? null : data.startTime || null,
		endTime: data.allDay ? null : data.endTime || null,
		endDayOffset: data.endDate ? Math.max(0, daysBetween(data.startDate, data.endDate)) : endsNextDay(data) ? 1 : 0,
		title: data.title,
		description: data.description,
		venueName: data.venueName,
		venueAddress: data.venueAddress,
		ticketUrl: data.ticketUrl,
		onlineUrl: data.onlineUrl,
		onlineRevealMinutes: data.onlineUrl && data.onlineReveal ? Number(data.onlineReveal) : null,
		placeId: data.placeId || null,
		status
	};
}

/** The old series' rule ending the day before `from` (its COUNT, if any, gives way to UNTIL). */
function ruleEndingBefore(rrule: string, from: string): string {
	const parts = rrule.split(';').filter((p) => !/^(UNTIL|COUNT)=/.test(p));
	return [...parts, `UNTIL=${addDays(from, -1).replaceAll('-', '')}T235959`].join(';');
}

/** The editor's "Preview dates": the repeat fields in plain words and the next dates; nothing is saved. */
export function previewRepeats(actor: SiteActor, input: Record<string, unknown>): ReturnType<typeof previewRule> {
	allow(actor, 'content.edit');
	const form = repeatFormSchema.safeParse(input);
	if (!form.success) return null;
	const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string).trim() : '');
	return previewRule(form.data, text('startDate'), { start: text('startTime'), end: text('endTime') });
}

/** True when the editor's form asks for a repeating event (the route then saves a series). */
export function repeatsRequested(input: Record<string, unknown>): boolean {
	return typeof input.repeat === 'string' && input.repeat !== '' && input.repeat !== 'none';
}

/** A save that brings back a saved version: which one, and the image it had (null: none). */
interface RestoreOf {
	revisionId: string;
	imageAssetId: string | null;
}

/**
 * Save the series editor: `id` null creates a series. Its dates are materialised in the same
 * transaction, and the saved template is kept as a revision. `restore`: this save brings back
 * a version (restoreSeriesRevision).
 */
export async function saveSeries(
	actor: SiteActor,
	id: unknown | null,
	input: Record<string, unknown>,
	now = new Date(),
	restore?: RestoreOf
): Promise<SeriesRow> {
	const who = allow(actor, 'content.edit');
	const site = who.site;
	const existing = id === null ? null : await siteRead(site.id, () => ownSeries(site.id, id));
	const parsed = parseInput(seriesFormSchema, input);
	const focal = focalOf(input);
	// "This and following": a new series from that date; the old one ends the day before.
	const split = existing && parsed.applyFrom && parsed.applyFrom > existing.firstDate ? parsed.applyFrom : null;
	if (existing && parsed.applyFrom && !split) throw invalidInput({ applyFrom: m.site_admin_error_apply_from_first() });
	// "6 times" counted the whole series: the new part gets what is left after the old part's dates.
	const before =
		split && parsed.repeatEnds === 'count' ? occurrenceDates(existing!.rrule, existing!.firstDate, addDays(split, -1)).length : 0;
	if (split && parsed.repeatEnds === 'count' && parsed.repeatCount !== '' && parsed.repeatCount <= before)
		throw invalidInput({ applyFrom: m.site_admin_error_apply_from_none() });
	const data = split
		? {
				...parsed,
				startDate: split,
				slug: parsed.slug && parsed.slug !== existing!.slug ? parsed.slug : '',
				repeatCount: parsed.repeatCount === '' ? parsed.repeatCount : parsed.repeatCount - before
			}
		: parsed;
	const timing = eventTiming(data, site.timezone);
	if (!timing.ok) throw invalidInput(timing.errors);
	const rule = ruleFromForm(data, data.startDate);
	if (!rule.ok) throw invalidInput(rule.errors);
	if (!rule.rrule) throw invalidInput({ repeat: m.site_admin_error_repeat() });
	if (data.intent === 'schedule') throw invalidInput({ publishAt: m.site_admin_error_repeat_scheduled() });
	const rrule = rule.rrule;
	if (!occurrenceDates(rrule, data.startDate, addDays(data.startDate, 3660)).length)
		throw invalidInput({ repeat: m.site_admin_error_repeat_no_dates() });
	const slug = split && !data.slug ? `${existing!.slug.slice(0, 52)}-${split}` : eventSlug(data);
	if (await siteRead(site.id, () => eventSlugTaken(site.id, slug, split ? undefined : existing?.id)))
		throw invalidInput({ slug: slugTakenMessage(slug) });
	const links = await resolveEventLinks(site.id, data);
	const status = statusAfterSave(data.intent, data.status === 'cancelled' ? undefined : data.status, existing?.status, {
		published: 'published',
		draft: 'draft'
	});

	const image = fileChosen(input.image) ? await storeImage(who, 'event', 'image', input, data.imageAlt || data.title) : null;
	const imageAssetId = image
		? image.id
		: restore
			? await restoredImage(site.id, restore.imageAssetId)
			: data.removeImage
				? null
				: (existing?.imageAssetId ?? null);
	try {
		return await write(
			{
				siteId: site.id,
				actor: auditActor(who),
				unique: { event_series_site_slug_key: { field: 'slug', message: slugTakenMessage(slug) } }
			},
			async (w) => {
				if (!image && imageAssetId && data.imageAlt) await updateAssetAlt(site.id, imageAssetId, data.imageAlt);
				// The image's focal point and shape, as for one-off events (the editor's picker).
				if (!image && imageAssetId && focal) await applyFocal(site.id, imageAssetId, focal);
				const values = {
					...seriesInput(data, slug, rrule, status),
					venueName: links.venueName,
					venueAddress: links.venueAddress,
					imageAssetId
				};
				const before = existing ? await listOccurrences(site.id, existing.id) : [];
				if (split && existing) {
					const row = await createSeries(site.id, { ...values, materialisedUntil: split });
					await moveOccurrencesFrom(site.id, existing.id, row.id, split);
					const old = await updateSeries(site.id, existing.id, { rrule: ruleEndingBefore(existing.rrule, split) });
					if (!old) throw notFound(m.site_admin_error_series_gone());
					await materialise(site, old, now, true);
					await materialise(site, row, now, true);
					await setTagsOf(site.id, { seriesId: row.id }, links.tagIds);
					await keepRevision(w, auditActor(who), { kind: 'series', row: old });
					await keepRevision(w, auditActor(who), { kind: 'series', row }, { created: true });
					const after = [...(await listOccurrences(site.id, old.id)), ...(await listOccurrences(site.id, row.id))];
					await occurrencesChanged(w, site, before, after, now);
					await w.audit({
						action: 'series.split',
						targetType: 'event_series',
						targetId: row.id,
						target: `${existing.title} → ${row.title}`
					});
					return row;
				}
				const row = existing
					? await updateSeries(site.id, existing.id, values)
					: await createSeries(site.id, { ...values, materialisedUntil: data.startDate });
				if (!row) throw notFound(m.site_admin_error_series_gone());
				await materialise(site, row, now, true);
				await setTagsOf(site.id, { seriesId: row.id }, links.tagIds);
				await keepRevision(w, auditActor(who), { kind: 'series', row }, { created: !existing, restoredFrom: restore?.revisionId });
				if (restore) await w.audit({ action: 'series.revision_restore', targetType: 'event_series', targetId: row.id, target: row.title });
				await w.audit({
					action: existing ? 'series.update' : 'series.create',
					targetType: 'event_series',
					targetId: row.id,
					target: row.title
				});
				await occurrencesChanged(w, site, before, await listOccurrences(site.id, row.id), now);
				return row;
			}
		);
	} catch (error) {
		if (image) await deleteAsset(site.id, image.id).catch(() => {});
		throw error;
	}
}

/** A restored version's image, if it is still in the site's library (a deleted one is left out). */
async function restoredImage(siteId: string, assetId: string | null): Promise<string | null> {
	if (!assetId || !isUuid(assetId)) return null;
	return (await siteRead(siteId, () => getAsset(siteId, assetId))) ? assetId : null;
}

/**
 * "Restore this version" of a series: the saved template goes through the series' own save (its
 * dates still to come follow it, like any edit), with the current tags; audited, a new revision.
 */
export async function restoreSeriesRevision(actor: SiteActor, id: unknown, input: unknown, now = new Date()): Promise<SeriesRow> {
	const who = allow(actor, 'content.edit');
	const rev = await ownRevision(who.site.id, 'series', id, input);
	const d = rev.data as unknown as SeriesRow;
	const tagIds = await siteRead(who.site.id, () => listTagIdsOf(who.site.id, { seriesId: rev.targetId }));
	return saveSeries(actor, id, { ...seriesFormValues(d), status: d.status, tagIds }, now, {
		revisionId: rev.id,
		imageAssetId: d.imageAssetId
	});
}

export async function seriesForEditor(
	actor: SiteActor,
	id: unknown
): Promise<{ series: SeriesRow; occurrences: EventRow[]; image: AssetRow | undefined; tagIds: string[] }> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () => {
		const series = await ownSeries(who.site.id, id);
		const [occurrences, image, tagIds] = await Promise.all([
			listOccurrences(who.site.id, series.id),
			series.imageAssetId ? getAsset(who.site.id, series.imageAssetId) : Promise.resolve(undefined),
			listTagIdsOf(who.site.id, { seriesId: series.id })
		]);
		return { series, occurrences, image, tagIds };
	});
}

export const SERIES_DELETE_SCOPES = ['all', 'future'] as const;

/**
 * Delete a series after the confirmation tick, with its dates (`all`), or only with its dates
 * still to come (`future`): the past ones stay as one-off events at their URLs, for the archive.
 */
export async function deleteSeries(actor: SiteActor, id: unknown, input: unknown, now = new Date()): Promise<SeriesRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	await siteRead(siteId, () => ownSeries(siteId, id));
	const { scope } = parseInput(
		z.object({
			confirm: fields.confirm(),
			scope: z.enum(SERIES_DELETE_SCOPES, say(m.site_admin_error_delete_scope))
		}),
		input
	);
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const before = await listOccurrences(siteId, String(id));
		if (scope === 'future') await detachOccurrencesBefore(siteId, String(id), now);
		const row = await deleteSeriesRow(siteId, String(id));
		if (!row) throw notFound();
		await w.audit({ action: `series.delete.${scope}`, targetType: 'event_series', targetId: row.id, target: row.title });
		// Every date still to come is gone (past ones kept as one-off events did not change for anyone).
		await occurrencesChanged(w, who.site, before, [], now);
		return row;
	});
}

/**
 * Keep published series materialised a year ahead. Called on public reads until the jobs worker
 * does it; costs one indexed query when nothing is due, and a failure never breaks the page.
 */
export async function extendSeriesAhead(site: SiteContext, now = new Date()): Promise<number> {
	const threshold = addDays(toLocalDateInput(now, site.timezone), EXTEND_WHEN_DAYS);
	try {
		const due = await siteRead(site.id, () => listSeriesToExtend(site.id, threshold));
		if (!due.length) return 0;
		await write({ siteId: site.id, actor: systemActor() }, async (w) => {
			for (const series of due) {
				const before = await listOccurrences(site.id, series.id);
				await materialise(site, series, now, false);
				await occurrencesChanged(w, site, before, await listOccurrences(site.id, series.id), now);
			}
		});
		return due.length;
	} catch (error) {
		console.error(JSON.stringify({ msg: 'series horizon extension failed', siteId: site.id, error: String(error) }));
		return 0;
	}
}

/**
 * /events/<series-slug>: the slug of the date a visitor most likely wants (the next one still to
 * come, else the last one), or not found. Drafts only for the site's editors.
 */
export async function seriesLandingSlug(actor: SiteActor, slug: string, now = new Date()): Promise<string> {
	const drafts = can(actor, 'content.edit');
	return siteRead(actor.site.id, async () => {
		const series = await getSeriesBySlug(actor.site.id, slug);
		if (!series || (series.status === 'draft' && !drafts)) throw notFound(m.admin_event_not_found());
		const rows = (await listOccurrences(actor.site.id, series.id)).filter((r) => drafts || r.status !== 'draft');
		const next = rows.filter((r) => (r.endsAt ?? r.startsAt) >= now).sort((a, b) => +a.startsAt - +b.startsAt)[0] ?? rows.at(-1);
		if (!next) throw notFound(m.admin_event_not_found());
		return next.slug;
	});
}

/** A series as the editor's field values (its template and its rule). */
export function seriesFormValues(series: SeriesRow): Record<string, string | string[]> & { title: string } {
	const offset = series.endDayOffset;
	return {
		title: series.title,
		slug: series.slug,
		status: series.status,
		allDay: series.allDay ? 'on' : '',
		startDate: series.firstDate,
		startTime: series.startTime ?? '',
		// Overnight (ends the next day before its start time): the end time alone says so.
		endDate:
			offset > 1 || (offset === 1 && (series.allDay || !series.endTime || !series.startTime || series.endTime >= series.startTime))
				? addDays(series.firstDate, offset)
				: '',
		endTime: series.endTime ?? '',
		venueName: series.venueName,
		venueAddress: series.venueAddress,
		ticketUrl: series.ticketUrl ?? '',
		placeId: series.placeId ?? '',
		onlineUrl: series.onlineUrl ?? '',
		onlineReveal: series.onlineRevealMinutes === null ? '' : String(series.onlineRevealMinutes),
		description: series.description,
		imageAlt: '',
		...formFromRule(series.rrule)
	};
}

/** The rule in plain words, for the admin. */
export const seriesRuleText = (series: Pick<SeriesRow, 'rrule'>) => describeRule(series.rrule);
