/**
 * Saving the event editor (new and edit share it): validate, resolve the times in the site's zone,
 * check the slug, run the optional image upload, and write event + audit in one transaction. An
 * image is processed before the transaction (its objects are deleted again if the save fails), so
 * a failed save leaves neither a half-updated event nor an unused image behind.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { invalid, parseForm } from '../forms';
import { requirePermission } from '../auth/permissions';
import { createEvent, deleteEvent, eventSlugTaken, getEvent, updateEvent, type EventRow } from '../queries/events';
import { siteWrite } from '../queries/write';
import { deleteAsset, processUpload, readUpload, uploadFailure } from '../media';
import { updateAssetAlt, type AssetRow } from '../queries/assets';
import { actorOf, adminPath } from './context';
import { isUniqueViolation } from '../errors';
import { eventFormSchema, eventInput, eventSlug, eventTiming, freeSlug } from './event-form';

export async function saveEvent(event: RequestEvent, existing: EventRow | null) {
	const { locals, request } = event;
	requirePermission(locals, 'content.edit');
	const site = locals.site!;
	const form = await request.formData();
	const parsed = parseForm(eventFormSchema, form);
	if (!parsed.ok) return parsed.failure;
	const data = parsed.data;

	const timing = eventTiming(data, site.timezone);
	if (!timing.ok) return invalid(form, timing.errors);
	const slug = eventSlug(data);
	if (await eventSlugTaken(site.id, slug, existing?.id)) {
		return invalid(form, { slug: `Another event already uses the address /events/${slug}` });
	}

	// An image is optional: upload only when a file was chosen.
	let image: AssetRow | null = null;
	const file = form.get('image');
	if (file instanceof File && (file.size > 0 || file.name !== '')) {
		const upload = readUpload(form, 'image');
		if (!upload.ok) return invalid(form, { image: upload.message }, undefined, undefined, upload.status);
		try {
			image = await processUpload(site, 'event', upload.file, { altText: data.imageAlt || data.title, actor: actorOf(locals) });
		} catch (error) {
			const refused = uploadFailure(error);
			if (refused) return invalid(form, { image: refused.message }, undefined, undefined, refused.status);
			throw error;
		}
	}

	const imageAssetId = image ? image.id : data.removeImage ? null : (existing?.imageAssetId ?? null);
	let saved: EventRow | undefined;
	try {
		saved = await siteWrite(
			site.id,
			actorOf(locals),
			(row: EventRow | undefined) =>
				row ? { action: existing ? 'event.update' : 'event.create', targetType: 'event', targetId: row.id, target: row.title } : null,
			async (tx) => {
				// The description of the kept image can be edited in place (it is the asset's alt text).
				if (!image && imageAssetId && data.imageAlt) await updateAssetAlt(site.id, imageAssetId, data.imageAlt, tx);
				return existing
					? updateEvent(site.id, existing.id, { ...eventInput(data, slug, timing), imageAssetId }, tx)
					: createEvent(site.id, { ...eventInput(data, slug, timing), imageAssetId }, tx);
			}
		);
	} catch (error) {
		if (image) await deleteAsset(site.id, image.id).catch(() => {});
		if (isUniqueViolation(error, 'event_site_slug_key'))
			return invalid(form, { slug: `Another event already uses the address /events/${slug}` });
		throw error;
	}
	if (!saved) {
		if (image) await deleteAsset(site.id, image.id).catch(() => {});
		return invalid(form, {}, undefined, 'This event no longer exists.', 404);
	}
	redirect(303, adminPath(event, `/events/${saved.id}?saved=1`));
}

/** The site's event named by the route's id, or 404 (another site's id looks like no event at all). */
export function siteEventOr404(event: RequestEvent): Promise<EventRow> {
	return siteEventById(event, event.params.id ?? '');
}

async function siteEventById(event: RequestEvent, id: string): Promise<EventRow> {
	const row = /^[0-9a-f-]{36}$/i.test(id) ? await getEvent(event.locals.site!.id, id) : undefined;
	if (!row) error(404, 'Not found');
	return row;
}

/** A draft copy of one of the site's events, with a free slug; the image is shared, not copied. */
export async function duplicateEvent(event: RequestEvent, id: string): Promise<EventRow> {
	requirePermission(event.locals, 'content.edit');
	const site = event.locals.site!;
	const original = await siteEventById(event, id);
	const slug = await freeSlug(original.slug, (s) => eventSlugTaken(site.id, s));
	return siteWrite(
		site.id,
		actorOf(event.locals),
		(row: EventRow) => ({ action: 'event.duplicate', targetType: 'event', targetId: row.id, target: row.title }),
		(tx) =>
			createEvent(
				site.id,
				{
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
				},
				tx
			)
	);
}

/** Delete one of the site's events (its image stays in the media library). */
export async function removeEvent(event: RequestEvent, id: string): Promise<void> {
	requirePermission(event.locals, 'content.edit');
	const site = event.locals.site!;
	const deleted = await siteWrite(
		site.id,
		actorOf(event.locals),
		(row: EventRow | undefined) => (row ? { action: 'event.delete', targetType: 'event', targetId: row.id, target: row.title } : null),
		(tx) => (/^[0-9a-f-]{36}$/i.test(id) ? deleteEvent(site.id, id, tx) : Promise.resolve(undefined))
	);
	if (!deleted) error(404, 'Not found');
}

/**
 * Cancel one of the site's events (it stays public, marked cancelled, so people who planned to
 * come find out) or restore a cancelled one to published.
 */
export async function setEventCancelled(event: RequestEvent, cancelled: boolean): Promise<EventRow> {
	requirePermission(event.locals, 'content.edit');
	const site = event.locals.site!;
	const id = event.params.id ?? '';
	const row = await siteWrite(
		site.id,
		actorOf(event.locals),
		(r: EventRow | undefined) =>
			r ? { action: cancelled ? 'event.cancel' : 'event.restore', targetType: 'event', targetId: r.id, target: r.title } : null,
		(tx) =>
			/^[0-9a-f-]{36}$/i.test(id)
				? updateEvent(site.id, id, { status: cancelled ? 'cancelled' : 'published' }, tx)
				: Promise.resolve(undefined)
	);
	if (!row) error(404, 'Not found');
	return row;
}
