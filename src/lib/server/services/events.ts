/**
 * Events (editors and up): the editor's save (new and edit share it), duplicate, cancel/restore,
 * delete, and the admin's reads. Dates are entered as wall time in the site's timezone
 * (event-form.ts). An image is processed before the transaction and its objects deleted again if
 * the save fails, so a failed save leaves neither a half-updated event nor an unused image.
 */
import { z } from 'zod';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput } from '../input';
import { m } from '../../paraglide/messages';
import { siteRead } from '../db';
import {
	countEventsForAdmin,
	createEvent,
	deleteEvent as deleteEventRow,
	eventSlugTaken,
	getEvent,
	getEventBySlug,
	getSeries,
	listEventsForAdmin,
	listSeriesForAdmin,
	listUpcomingEvents,
	updateEvent,
	type AdminEventFilter,
	type EventRow,
	type SeriesRow
} from '../queries/events';
import { getAsset, updateAssetAlt, type AssetRow } from '../queries/assets';
import { listTags } from '../queries/tags';
import { listPlaces } from '../queries/places';
import { deleteAsset } from '../media';
import { eventFormSchema, eventInput, eventSlug, eventTiming, freeSlug } from './event-form';
import { listTagIdsOf, setTagsOf } from '../queries/tags';
import { resolveEventLinks } from './places';
import { publishAtAfterSave, statusAfterSave } from './save-intent';
import { queuePublication } from './scheduled-publishing';
import { fileChosen, storeImage } from './media';
import { can } from '../auth/permissions';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { eventChanged } from './event-changed';
import { eventImages, eventView } from '../public-site/views';
import type { EventView } from '../../site-view';
import { keepRevision } from './revisions';
import { applyFocal, focalOf } from './focal';
import { renderForSave, rerenderEmbeds } from './rich-text';

const slugTakenMessage = (slug: string) => m.admin_event_slug_taken({ slug });

/** The site's event with this id, or not found (another site's id, or no UUID at all, alike). */
async function ownEvent(siteId: string, id: unknown): Promise<EventRow> {
	const row = isUuid(id) ? await getEvent(siteId, id) : undefined;
	if (!row) throw notFound();
	return row;
}

/** An event for its editor, with its image and, for one date of a series, the series. */
export async function eventForEditor(
	actor: SiteActor,
	id: unknown
): Promise<{ row: EventRow; image: AssetRow | undefined; series: SeriesRow | undefined; tagIds: string[] }> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () => {
		const row = await ownEvent(who.site.id, id);
		return {
			row,
			tagIds: await listTagIdsOf(who.site.id, row.seriesId ? { seriesId: row.seriesId } : { eventId: row.id }),
			image: row.imageAssetId ? await getAsset(who.site.id, row.imageAssetId) : undefined,
			series: row.seriesId ? await getSeries(who.site.id, row.seriesId) : undefined
		};
	});
}

/**
 * The admin's events list: one-off events by `filter`, series grouped with their next dates, both
 * narrowed to one of the site's tags or places (`narrow`; an id of another site narrows to nothing).
 */
export async function eventsForAdmin(
	actor: SiteActor,
	filter: AdminEventFilter,
	now = new Date(),
	narrow: { tag?: string; place?: string } = {}
) {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	return siteRead(siteId, async () => {
		const [tags, places] = await Promise.all([listTags(siteId), listPlaces(siteId)]);
		const tag = tags.find((t) => t.id === narrow.tag);
		const place = places.find((p) => p.id === narrow.place);
		const none = (narrow.tag && !tag) || (narrow.place && !place);
		const by = { tagId: tag?.id, placeId: place?.id };
		const [events, counts, series] = await Promise.all([
			none ? [] : listEventsForAdmin(siteId, filter, now, by),
			countEventsForAdmin(siteId, now),
			none ? [] : listSeriesForAdmin(siteId, now, 4, by)
		]);
		return { events, counts, series, tags, places, tagId: tag?.id ?? '', placeId: place?.id ?? '' };
	});
}

/**
 * Save the editor: `id` null creates an event. One date of a series keeps its address
 * (/events/<series-slug>/<date>) and becomes `detached`: later edits of the series leave it as saved here.
 */
export async function saveEvent(actor: SiteActor, id: unknown | null, input: Record<string, unknown>): Promise<EventRow> {
	const who = allow(actor, 'content.edit');
	const site = who.site;
	const existing = id === null ? null : await siteRead(site.id, () => ownEvent(site.id, id));
	const data = parseInput(eventFormSchema, input);
	const focal = focalOf(input);
	const timing = eventTiming(data, site.timezone);
	if (!timing.ok) throw invalidInput(timing.errors);
	const occurrence = !!existing?.seriesId;
	const slug = occurrence ? existing.slug : eventSlug(data);
	if (!occurrence && (await siteRead(site.id, () => eventSlugTaken(site.id, slug, existing?.id))))
		throw invalidInput({ slug: slugTakenMessage(slug) });
	const status = statusAfterSave(data.intent, data.status, existing?.status, { published: 'published', draft: 'draft' });
	const schedule = publishAtAfterSave(data.intent, data.publishAt, existing?.publishAt, status === 'draft', site.timezone, new Date());
	if (!schedule.ok) throw invalidInput({ publishAt: schedule.error });
	// A date of a series carries its series' tags; its place and online link are its own.
	const links = await resolveEventLinks(site.id, { ...data, tagIds: occurrence ? [] : data.tagIds });
	const rendered = await renderForSave(site, data.description, 'description');

	// An image is optional: upload only when a file was chosen.
	const image = fileChosen(input.image) ? await storeImage(who, 'event', 'image', input, data.imageAlt || data.title) : null;
	const imageAssetId = image ? image.id : data.removeImage ? null : (existing?.imageAssetId ?? null);
	try {
		return await write(
			{ siteId: site.id, actor: auditActor(who), unique: { event_site_slug_key: { field: 'slug', message: slugTakenMessage(slug) } } },
			async (w) => {
				// The description of the kept image can be edited in place (it is the asset's alt text).
				if (!image && imageAssetId && data.imageAlt) await updateAssetAlt(site.id, imageAssetId, data.imageAlt);
				// So is the point that must stay visible (the editor's focal point picker).
				if (!image && imageAssetId && focal) await applyFocal(site.id, imageAssetId, focal);
				const values = {
					...eventInput(data, slug, timing, status),
					...rendered,
					venueName: links.venueName,
					venueAddress: links.venueAddress,
					placeId: links.placeId,
					imageAssetId,
					publishAt: schedule.publishAt,
					...(occurrence ? { detached: true } : {})
				};
				const row = existing ? await updateEvent(site.id, existing.id, values) : await createEvent(site.id, values);
				if (!row) throw notFound(m.admin_event_gone());
				await queuePublication(w, schedule.publishAt);
				if (!occurrence) await setTagsOf(site.id, { eventId: row.id }, links.tagIds);
				// Cards of this event in other texts show its title, date and state.
				await rerenderEmbeds(site, row.slug);
				await w.audit({ action: existing ? 'event.update' : 'event.create', targetType: 'event', targetId: row.id, target: row.title });
				await eventChanged(w, site, existing, row);
				await keepRevision(w, auditActor(who), { kind: 'event', row }, { created: !existing });
				return row;
			}
		);
	} catch (error) {
		if (image) await deleteAsset(site.id, image.id).catch(() => {});
		throw error;
	}
}

/** A draft copy of one of the site's events, with a free slug; the image is shared, not copied. */
export async function duplicateEvent(actor: SiteActor, input: unknown): Promise<EventRow> {
	const who = allow(actor, 'content.edit');
	const { id } = parseInput(z.object({ id: z.unknown() }), input);
	const siteId = who.site.id;
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const original = await ownEvent(siteId, id);
		// A series date's slug has a slash (<series>/<date>); its copy is a one-off event.
		const slug = await freeSlug(original.slug.replace('/', '-'), (s) => eventSlugTaken(siteId, s));
		const row = await createEvent(siteId, {
			slug,
			title: `${original.title} (copy)`.slice(0, 200),
			description: original.description,
			html: original.html,
			renderVersion: original.renderVersion,
			startsAt: original.startsAt,
			endsAt: original.endsAt,
			allDay: original.allDay,
			venueName: original.venueName,
			venueAddress: original.venueAddress,
			ticketUrl: original.ticketUrl,
			onlineUrl: original.onlineUrl,
			onlineRevealMinutes: original.onlineRevealMinutes,
			placeId: original.placeId,
			imageAssetId: original.imageAssetId,
			status: 'draft'
		});
		const tags = await listTagIdsOf(siteId, original.seriesId ? { seriesId: original.seriesId } : { eventId: original.id });
		await setTagsOf(siteId, { eventId: row.id }, tags);
		await w.audit({ action: 'event.duplicate', targetType: 'event', targetId: row.id, target: row.title });
		await keepRevision(w, auditActor(who), { kind: 'event', row });
		return row;
	});
}

/**
 * Delete one of the site's events after the confirmation tick (its image stays in the library).
 * A date of a series is cancelled instead (the series would only make it again, and people who
 * planned to come should see that it is off).
 */
export async function deleteEvent(actor: SiteActor, id: unknown, input: unknown): Promise<EventRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	const existing = await siteRead(siteId, () => ownEvent(siteId, id));
	if (existing.seriesId) throw invalidInput({ confirm: m.admin_event_in_series() });
	parseInput(z.object({ confirm: fields.confirm() }), input);
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const row = await deleteEventRow(siteId, String(id));
		if (!row) throw notFound();
		await rerenderEmbeds(who.site, row.slug);
		await w.audit({ action: 'event.delete', targetType: 'event', targetId: row.id, target: row.title });
		await eventChanged(w, who.site, row, null);
		return row;
	});
}

/**
 * Cancel one of the site's events (it stays public, marked cancelled, so people who planned to
 * come find out) or restore a cancelled one to published.
 */
export async function setEventCancelled(actor: SiteActor, id: unknown, cancelled: boolean): Promise<EventRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const before = await ownEvent(siteId, id);
		const row = await updateEvent(siteId, String(id), { status: cancelled ? 'cancelled' : 'published' });
		if (!row) throw notFound();
		await rerenderEmbeds(who.site, row.slug);
		await w.audit({ action: cancelled ? 'event.cancel' : 'event.restore', targetType: 'event', targetId: row.id, target: row.title });
		await eventChanged(w, who.site, before, row);
		return row;
	});
}

/**
 * The event at /events/<slug> for whoever asks: visitors get published and cancelled events; the
 * people who run the site also drafts, to preview them on their real address (`draft: true`; the
 * page says so and is never cached: signed-in responses are private).
 */
export async function eventForVisitor(
	actor: SiteActor,
	slug: string
): Promise<{ row: EventRow; draft: boolean; series: SeriesRow | undefined }> {
	const drafts = can(actor, 'content.edit');
	return siteRead(actor.site.id, async () => {
		const row = await getEventBySlug(actor.site.id, slug, { drafts });
		if (!row) throw notFound(m.admin_event_not_found());
		const series = row.seriesId ? await getSeries(actor.site.id, row.seriesId) : undefined;
		return { row, draft: row.status === 'draft', series };
	});
}

/** The next public event as visitors will see it (the branding screen's preview), or null. */
export async function nextEventForPreview(actor: SiteActor, now = new Date()): Promise<EventView | null> {
	const who = allow(actor, 'site.branding');
	return siteRead(who.site.id, async () => {
		const [row] = await listUpcomingEvents(who.site.id, now, 1);
		return row ? eventView(row, who.site, await eventImages(who.site.id, [row]), 480) : null;
	});
}
