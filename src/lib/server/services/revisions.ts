/**
 * Revisions: every save of a page, an event, a recurring series or the homepage keeps a snapshot
 * of its content (the last REVISIONS_KEPT per item), with who and when; the history screen shows
 * a word diff and can restore a version, which is itself a save (audited, and a new revision).
 * A series is restored by its own save (services/series.ts: its dates follow the template).
 *
 * Drafts: the editor form autosaves what one person is typing (one row per person and editor),
 * so a crash or a closed tab loses nothing; the real save deletes it.
 */
import { z } from 'zod';
import { diffWords } from 'diff';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { parseInput, say } from '../input';
import { siteRead } from '../db';
import {
	deleteDrafts,
	getDraft,
	getRevision,
	insertRevision,
	lastSavedBy,
	listDrafts,
	listRevisions,
	pruneRevisions,
	upsertDraft,
	type RevisionRow,
	type RevisionTarget
} from '../queries/revisions';
import { getPage, updatePage, type PageRow } from '../queries/pages';
import { getEvent, updateEvent, type EventRow } from '../queries/events';
import { eventChanged } from './event-changed';
import { getHome, saveHome, type HomeRow } from '../queries/home';
import { getSeries, type SeriesRow } from '../queries/events';
import { getPlace } from '../queries/places';
import { getAsset } from '../queries/assets';
import { describeRule } from './recurrence';
import { allow, auditActor, type AuditActor, type SiteActor } from './actor';
import { write, type Write } from './write';
import { m } from '../../paraglide/messages';

export const REVISIONS_KEPT = 30;

/** The content fields a revision keeps, per kind (what the editor saves). */
export const REVISION_FIELDS = {
	page: ['title', 'slug', 'body', 'published', 'showInNav'],
	event: [
		'title',
		'slug',
		'description',
		'startsAt',
		'endsAt',
		'allDay',
		'venueName',
		'venueAddress',
		'ticketUrl',
		'imageAssetId',
		'status'
	],
	// Every field the series editor saves, so a restore can rebuild its form (services/series.ts).
	series: [
		'title',
		'slug',
		'description',
		'rrule',
		'firstDate',
		'allDay',
		'startTime',
		'endTime',
		'endDayOffset',
		'venueName',
		'venueAddress',
		'placeId',
		'ticketUrl',
		'onlineUrl',
		'onlineRevealMinutes',
		'imageAssetId',
		'status'
	],
	home: ['heroTitle', 'heroText', 'intro', 'showEvents', 'showLinks']
} as const satisfies Record<RevisionTarget, readonly string[]>;

export type Saved =
	{ kind: 'page'; row: PageRow } | { kind: 'event'; row: EventRow } | { kind: 'series'; row: SeriesRow } | { kind: 'home'; row: HomeRow };

const targetIdOf = (saved: Saved) => (saved.kind === 'home' ? saved.row.siteId : saved.row.id);
const titleOf = (saved: Saved) => (saved.kind === 'home' ? saved.row.heroTitle : saved.row.title);

function snapshot(saved: Saved): Record<string, unknown> {
	const row = saved.row as unknown as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const field of REVISION_FIELDS[saved.kind]) {
		const value = row[field];
		out[field] = value instanceof Date ? value.toISOString() : (value ?? null);
	}
	return out;
}

/**
 * The draft keys a save of this item ends: its own, and "new" when it was just created (a new
 * series is written in the new-event editor, so that is its "new").
 */
const draftKeysOf = (saved: Saved, created: boolean) =>
	saved.kind === 'home'
		? ['home']
		: [`${saved.kind}:${saved.row.id}`, ...(created ? [`${saved.kind === 'series' ? 'event' : saved.kind}:new`] : [])];

/**
 * Inside a save's `write()`: keep the saved content as a revision (dropping the oldest beyond
 * REVISIONS_KEPT) and delete the saver's autosaved draft of it. One call per save.
 */
export async function keepRevision(
	w: Write,
	actor: AuditActor,
	saved: Saved,
	options: { created?: boolean; restoredFrom?: string } = {}
): Promise<RevisionRow> {
	const siteId = w.siteId!;
	const targetId = targetIdOf(saved);
	const row = await insertRevision(siteId, {
		targetType: saved.kind,
		targetId,
		title: titleOf(saved),
		data: snapshot(saved),
		authorId: actor.userId,
		authorName: actor.name,
		restoredFrom: options.restoredFrom ?? null
	});
	await pruneRevisions(siteId, saved.kind, targetId, REVISIONS_KEPT);
	if (actor.userId) await deleteDrafts(siteId, actor.userId, draftKeysOf(saved, !!options.created));
	return row;
}

/** The item a history belongs to, in the actor's site (another site's id is simply not found). */
async function ownTarget(siteId: string, kind: RevisionTarget, id: unknown): Promise<Saved> {
	if (kind === 'home') return { kind, row: await getHome(siteId) };
	if (!isUuid(id)) throw notFound();
	if (kind === 'page') {
		const row = await getPage(siteId, id);
		if (!row) throw notFound();
		return { kind, row };
	}
	if (kind === 'series') {
		const row = await getSeries(siteId, id);
		if (!row) throw notFound();
		return { kind, row };
	}
	const row = await getEvent(siteId, id);
	if (!row) throw notFound();
	return { kind, row };
}

export interface DiffPart {
	value: string;
	added?: boolean;
	removed?: boolean;
}

export interface FieldChange {
	field: string;
	parts: DiffPart[];
}

const shown = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** Fields compared as a whole (a date, an id, a rule), not word by word. */
const WHOLE_VALUE = new Set(['startsAt', 'endsAt', 'imageAssetId', 'firstDate', 'startTime', 'endTime', 'rrule', 'placeId']);

/**
 * A series' snapshot as people read it: the rule in words (the admin's language), the place by
 * its name (its id when it is gone). Read inside the site's transaction.
 */
async function readable(siteId: string, kind: RevisionTarget, data: Record<string, unknown>): Promise<Record<string, unknown>> {
	if (kind !== 'series') return data;
	const out = { ...data };
	if (typeof data.rrule === 'string' && data.rrule) {
		try {
			out.rrule = describeRule(data.rrule);
		} catch {
			// An unreadable rule is shown as stored.
		}
	}
	if (typeof data.placeId === 'string' && isUuid(data.placeId)) out.placeId = (await getPlace(siteId, data.placeId))?.name ?? data.placeId;
	return out;
}

/** What changed from `before` to `after`, field by field (word level), unchanged fields left out. */
export function diffRevisions(kind: RevisionTarget, before: Record<string, unknown> | null, after: Record<string, unknown>): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const field of REVISION_FIELDS[kind]) {
		const a = shown(before?.[field]);
		const b = shown(after[field]);
		if (a === b) continue;
		const parts =
			typeof after[field] === 'string' && !WHOLE_VALUE.has(field)
				? diffWords(a, b).map((p) => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) }))
				: [...(a ? [{ value: a, removed: true }] : []), ...(b ? [{ value: b, added: true }] : [])];
		changes.push({ field, parts });
	}
	return changes;
}

export interface RevisionSummary {
	id: string;
	title: string;
	authorName: string;
	createdAt: Date;
	restoredFrom: string | null;
	/** Whether it is what is stored now (the newest). */
	current: boolean;
}

export interface RevisionHistory {
	kind: RevisionTarget;
	title: string;
	/** How many versions are kept. */
	kept: number;
	revisions: RevisionSummary[];
	/** The chosen revision (default: the newest) and what it changed against the one before it. */
	selected: (RevisionSummary & { data: Record<string, unknown>; changes: FieldChange[]; first: boolean }) | null;
}

/** The history screen of one page, event or the homepage. */
export async function revisionsFor(
	actor: SiteActor,
	kind: RevisionTarget,
	targetId: unknown,
	selectedId?: string | null
): Promise<RevisionHistory> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	return siteRead(siteId, async () => {
		const target = await ownTarget(siteId, kind, targetId);
		const rows = await listRevisions(siteId, kind, targetIdOf(target));
		const summaries = rows.map((r, i) => ({
			id: r.id,
			title: r.title,
			authorName: r.authorName,
			createdAt: r.createdAt,
			restoredFrom: r.restoredFrom,
			current: i === 0
		}));
		const index = selectedId ? rows.findIndex((r) => r.id === selectedId) : 0;
		const chosen = index >= 0 ? rows[index] : undefined;
		return {
			kind,
			title: titleOf(target),
			kept: REVISIONS_KEPT,
			revisions: summaries,
			selected: chosen
				? {
						...summaries[index]!,
						data: chosen.data,
						changes: diffRevisions(
							kind,
							rows[index + 1] ? await readable(siteId, kind, rows[index + 1]!.data) : null,
							await readable(siteId, kind, chosen.data)
						),
						first: index === rows.length - 1
					}
				: null
		};
	});
}

const restoreSchema = z.object({ id: z.unknown() });

/** A revision's data, every kind's fields (REVISION_FIELDS) as stored by `snapshot`. */
interface Snapshot {
	title: string;
	slug: string;
	body: string;
	published: boolean;
	showInNav: boolean;
	description: string;
	startsAt: string;
	endsAt: string | null;
	allDay: boolean;
	venueName: string;
	venueAddress: string;
	ticketUrl: string | null;
	imageAssetId: string | null;
	status: 'draft' | 'published' | 'cancelled';
	heroTitle: string;
	heroText: string;
	intro: string;
	showEvents: boolean;
	showLinks: boolean;
}
const slugTaken = m.revisions_error_slug_taken;

/**
 * A revision of an item of this site, by the restore form's `id` (another site's item or
 * revision is not found). For services that restore through their own save (series).
 */
export async function ownRevision(siteId: string, kind: RevisionTarget, targetId: unknown, input: unknown): Promise<RevisionRow> {
	const { id } = parseInput(restoreSchema, input);
	return siteRead(siteId, async () => {
		const tid = targetIdOf(await ownTarget(siteId, kind, targetId));
		const rev = isUuid(id) ? await getRevision(siteId, kind, tid, id) : undefined;
		if (!rev) throw notFound(m.revisions_error_no_version());
		return rev;
	});
}

/** Bring back a version: the stored content becomes the revision's (a save of its own: audited, a new revision). */
export async function restoreRevision(
	actor: SiteActor,
	kind: Exclude<RevisionTarget, 'series'>,
	targetId: unknown,
	input: unknown
): Promise<RevisionRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	const { id } = parseInput(restoreSchema, input);
	const audit = auditActor(who);
	return write(
		{
			siteId,
			actor: audit,
			unique: { page_site_slug_key: { field: 'id', message: slugTaken() }, event_site_slug_key: { field: 'id', message: slugTaken() } }
		},
		async (w) => {
			const target = await ownTarget(siteId, kind, targetId);
			const tid = targetIdOf(target);
			const rev = isUuid(id) ? await getRevision(siteId, kind, tid, id) : undefined;
			if (!rev) throw notFound(m.revisions_error_no_version());
			const d = rev.data as unknown as Snapshot;
			let saved: Saved;
			if (target.kind === 'page') {
				const row = await updatePage(siteId, tid, {
					title: d.title,
					slug: d.slug,
					body: d.body,
					published: d.published,
					showInNav: d.showInNav
				});
				if (!row) throw notFound();
				saved = { kind: 'page', row };
			} else if (target.kind === 'event') {
				const occurrence = !!target.row.seriesId;
				const image = d.imageAssetId && isUuid(d.imageAssetId) && (await getAsset(siteId, d.imageAssetId)) ? d.imageAssetId : null;
				const startsAt = new Date(d.startsAt);
				if (Number.isNaN(startsAt.getTime())) throw invalidInput({ id: m.revisions_error_cannot_restore() });
				const row = await updateEvent(siteId, tid, {
					title: d.title,
					description: d.description,
					startsAt,
					endsAt: d.endsAt ? new Date(d.endsAt) : null,
					allDay: d.allDay,
					venueName: d.venueName,
					venueAddress: d.venueAddress,
					ticketUrl: d.ticketUrl ?? null,
					imageAssetId: image,
					status: d.status,
					...(occurrence ? { detached: true } : { slug: d.slug })
				});
				if (!row) throw notFound();
				// A restored version is an edit like any other: Discord, followers and the fediverse hear of it.
				await eventChanged(w, who.site, target.row, row);
				saved = { kind: 'event', row };
			} else if (target.kind === 'home') {
				const row = await saveHome(siteId, {
					heroTitle: d.heroTitle,
					heroText: d.heroText,
					intro: d.intro,
					showEvents: d.showEvents,
					showLinks: d.showLinks
				});
				saved = { kind: 'home', row };
			} else throw notFound();
			await w.audit({ action: `${kind}.revision_restore`, targetType: kind, targetId: tid, target: titleOf(saved) || undefined });
			return keepRevision(w, audit, saved, { restoredFrom: rev.id });
		}
	);
}

/* ---------------------------------------------------------------- drafts */

const DRAFT_KEY = /^(?:home|(?:page|event):(?:new|[0-9a-f-]{36})|series:[0-9a-f-]{36})$/;
/** Enough for the longest editor (a page's 50,000 characters of text) and its other fields. */
const DRAFT_MAX_CHARS = 120_000;

const draftKey = z.string().regex(DRAFT_KEY, say(m.revisions_error_unknown_editor));

/**
 * A draft's key must name an editor of this site (another site's page is not found). Returns
 * the item (null for a new one).
 */
async function checkKey(siteId: string, key: string): Promise<{ kind: RevisionTarget; id: string } | null> {
	const [kind, id] = key.split(':') as [RevisionTarget, string | undefined];
	if (id === 'new') return null;
	return { kind, id: targetIdOf(await ownTarget(siteId, kind, id)) };
}

export interface DraftView {
	key: string;
	data: Record<string, string | string[]>;
	updatedAt: Date;
}

/** The actor's autosaved draft for one editor, if any. */
export async function draftFor(actor: SiteActor, input: unknown): Promise<DraftView | null> {
	const who = allow(actor, 'content.edit');
	const { key } = parseInput(z.object({ key: draftKey }), input);
	return siteRead(who.site.id, async () => {
		const target = await checkKey(who.site.id, key);
		const row = await getDraft(who.site.id, who.user.id, key);
		if (!row) return null;
		// A draft older than this person's own last save (an autosave that crossed the save) is
		// not offered; a colleague's later save does not hide it.
		const saved = target ? await lastSavedBy(who.site.id, target.kind, target.id, who.user.id) : null;
		if (saved && row.updatedAt <= saved) return null;
		return { key: row.key, data: row.data, updatedAt: row.updatedAt };
	});
}

/** The actor's drafts on this site (newest first). */
export async function draftsForAdmin(actor: SiteActor): Promise<DraftView[]> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () =>
		(await listDrafts(who.site.id, who.user.id)).map((r) => ({ key: r.key, data: r.data, updatedAt: r.updatedAt }))
	);
}

/**
 * Autosave: the editor's fields (`key` names the editor, every other text field is kept).
 * Not audited and publishes nothing: a draft changes no public page.
 */
export async function saveDraft(actor: SiteActor, input: Record<string, unknown>): Promise<DraftView> {
	const who = allow(actor, 'content.edit');
	const { key } = parseInput(z.object({ key: draftKey }), input);
	const data: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(input)) {
		if (name === 'key') continue;
		if (typeof value === 'string') data[name] = value;
		else if (Array.isArray(value)) data[name] = value.filter((v): v is string => typeof v === 'string');
	}
	if (JSON.stringify(data).length > DRAFT_MAX_CHARS) throw invalidInput({ key: m.revisions_error_draft_too_long() });
	return write({ siteId: who.site.id, actor: auditActor(who) }, async () => {
		await checkKey(who.site.id, key);
		const row = await upsertDraft(who.site.id, who.user.id, key, data);
		return { key: row.key, data: row.data, updatedAt: row.updatedAt };
	});
}

/** "Discard": forget the actor's draft for one editor. */
export async function discardDraft(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'content.edit');
	const { key } = parseInput(z.object({ key: draftKey }), input);
	await write({ siteId: who.site.id, actor: auditActor(who) }, () => deleteDrafts(who.site.id, who.user.id, [key]));
}
