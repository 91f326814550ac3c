/**
 * Events (editors and up): the editor's save (new and edit share it), duplicate, cancel/restore,
 * delete, and the admin's reads. Dates are entered as wall time in the site's timezone
 * (event-form.ts). An image is processed before the transaction and its objects deleted again if
 * the save fails, so a failed save leaves neither a half-updated event nor an unused image.
 */
import { z } from 'zod';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { parseInput } from '../input';
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
	updateEvent,
	type AdminEventFilter,
	type EventRow,
	type SeriesRow
} from '../queries/events';
import { getAsset, updateAssetAlt, type AssetRow } from '../queries/assets';
import { deleteAsset } from '../media';
import { eventFormSchema, eventInput, eventSlug, eventTiming, freeSlug } from './event-form';
import { publishAtAfterSave, statusAfterSave } from './save-intent';
import { queuePublication } from './scheduled-publishing';
import { fileChosen, storeImage } from './media';
import { can } from '../auth/permissions';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { federateEventChange } from '../fediverse/delivery';

const slugTakenMessage = (slug: string) => `Another event already uses the address /events/${slug}`;

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
): Promise<{ row: EventRow; image: AssetRow | undefined; series: SeriesRow | undefined }> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () => {
		const row = await ownEvent(who.site.id, id);
		return {
			row,
			image: row.imageAssetId ? await getAsset(who.site.id, row.imageAssetId) : undefined,
			series: row.seriesId ? await getSeries(who.site.id, row.seriesId) : undefined
		};
	});
}

export async function eventsForAdmin(actor: SiteActor, filter: AdminEventFilter, now = new Date()) {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () => {
		const [events, counts, series] = await Promise.all([
			listEventsForAdmin(who.site.id, filter, now),
			countEventsForAdmin(who.site.id, now),
			listSeriesForAdmin(who.site.id, now)
		]);
		return { events, counts, series };
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
	const timing = eventTiming(data, site.timezone);
	if (!timing.ok) throw invalidInput(timing.errors);
	const occurrence = !!existing?.seriesId;
	const slug = occurrence ? existing.slug : eventSlug(data);
	if (!occurrence && (await siteRead(site.id, () => eventSlugTaken(site.id, slug, existing?.id))))
		throw invalidInput({ slug: slugTakenMessage(slug) });
	const status = statusAfterSave(data.intent, data.status, existing?.status, { published: 'published', draft: 'draft' });
	const schedule = publishAtAfterSave(data.intent, data.publishAt, existing?.publishAt, status === 'draft', site.timezone, new Date());
	if (!schedule.ok) throw invalidInput({ publishAt: schedule.error });

	// An image is optional: upload only when a file was chosen.
	const image = fileChosen(input.image) ? await storeImage(who, 'event', 'image', input, data.imageAlt || data.title) : null;
	const imageAssetId = image ? image.id : data.removeImage ? null : (existing?.imageAssetId ?? null);
	try {
		return await write(
			{ siteId: site.id, actor: auditActor(who), unique: { event_site_slug_key: { field: 'slug', message: slugTakenMessage(slug) } } },
			async (w) => {
				// The description of the kept image can be edited in place (it is the asset's alt text).
				if (!image && imageAssetId && data.imageAlt) await updateAssetAlt(site.id, imageAssetId, data.imageAlt);
				const values = {
					...eventInput(data, slug, timing, status),
					imageAssetId,
					publishAt: schedule.publishAt,
					...(occurrence ? { detached: true } : {})
				};
				const row = existing ? await updateEvent(site.id, existing.id, values) : await createEvent(site.id, values);
				if (!row) throw notFound('This event no longer exists.');
				await queuePublication(w, schedule.publishAt);
				await federateEventChange(w, site, existing, row);
				await w.audit({ action: existing ? 'event.update' : 'event.create', targetType: 'event', targetId: row.id, target: row.title });
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
			startsAt: original.startsAt,
			endsAt: original.endsAt,
			allDay: original.allDay,
			venueName: original.venueName,
			venueAddress: original.venueAddress,
			ticketUrl: original.ticketUrl,
			imageAssetId: original.imageAssetId,
			status: 'draft'
		});
		await w.audit({ action: 'event.duplicate', targetType: 'event', targetId: row.id, target: row.title });
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
	if (existing.seriesId) throw invalidInput({ confirm: 'This date belongs to a series: cancel it, or delete the series' });
	parseInput(z.object({ confirm: z.literal('yes', { message: 'Tick the box to confirm' }) }), input);
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const row = await deleteEventRow(siteId, String(id));
		if (!row) throw notFound();
		await federateEventChange(w, who.site, row, null);
		await w.audit({ action: 'event.delete', targetType: 'event', targetId: row.id, target: row.title });
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
		await federateEventChange(w, who.site, before, row);
		await w.audit({ action: cancelled ? 'event.cancel' : 'event.restore', targetType: 'event', targetId: row.id, target: row.title });
		return row;
	});
}

/**
 * The event at /events/<slug> for whoever asks: visitors get published and cancelled events; the
 * people who run the site also drafts, to preview them on their real address (`draft: true`; the
 * page says so and is never cached: signed-in responses are private).
 */
export async function eventForVisitor(actor: SiteActor, slug: string): Promise<{ row: EventRow; draft: boolean }> {
	const drafts = can(actor, 'content.edit');
	const row = await siteRead(actor.site.id, () => getEventBySlug(actor.site.id, slug, { drafts }));
	if (!row) throw notFound('There is no such event.');
	return { row, draft: row.status === 'draft' };
}
