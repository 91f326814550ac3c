/**
 * Places (editors and up): a site's reusable venues. An event that picks a place carries a copy of
 * its name and address (so calendars, feeds and JSON-LD read one row); renaming the place updates
 * those copies, deleting it leaves them as typed text.
 */
import { z } from 'zod';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput, say, slugify } from '../input';
import { siteRead } from '../db';
import {
	copyPlaceToEvents,
	createPlace,
	deletePlaceRow,
	getPlace,
	getPlaceBySlug,
	listPlaces,
	updatePlace,
	type PlaceRow
} from '../queries/places';
import { getTagsByIds, listTags } from '../queries/tags';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { m } from '../../paraglide/messages';

const coordinate = (min: number, max: number, label: () => string) => {
	const degrees = say(() => m.events_admin_error_degrees({ label: label() }));
	return z
		.union(
			[
				z.literal(''),
				z.coerce
					.number(degrees)
					.min(
						min,
						say(() => m.events_admin_error_at_least({ label: label(), min }))
					)
					.max(
						max,
						say(() => m.events_admin_error_at_most({ label: label(), max }))
					)
			],
			// Text that is no number fails both: said once, not as zod's "Invalid input".
			degrees
		)
		.optional()
		.default('')
		.transform((v) => (v === '' ? null : v));
};

const placeSchema = z
	.object({
		name: fields.required(200, m.events_admin_name),
		slug: z
			.union([z.literal(''), fields.slug(m.admin_field_web_address)])
			.optional()
			.default(''),
		address: fields.text(500, m.events_admin_place_address),
		latitude: coordinate(-90, 90, m.events_admin_place_lat),
		longitude: coordinate(-180, 180, m.events_admin_place_lon),
		accessibility: fields.text(2000, m.events_place_accessibility),
		url: fields.optionalUrl(m.events_admin_place_url)
	})
	.superRefine((v, ctx) => {
		if ((v.latitude === null) !== (v.longitude === null))
			ctx.addIssue({
				code: 'custom',
				path: [v.latitude === null ? 'latitude' : 'longitude'],
				message: m.events_admin_error_coordinates()
			});
	});

const takenMessage = (slug: string) => m.events_admin_error_place_taken({ path: `/places/${slug}` });

async function ownPlace(siteId: string, id: unknown): Promise<PlaceRow> {
	const row = isUuid(id) ? await getPlace(siteId, id) : undefined;
	if (!row) throw notFound();
	return row;
}

export async function placesOfSite(actor: SiteActor): Promise<PlaceRow[]> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => listPlaces(who.site.id));
}

export async function placeForEditor(actor: SiteActor, id: unknown): Promise<PlaceRow> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => ownPlace(who.site.id, id));
}

/** Create (`id` null) or edit a place; events held there take its new name and address. */
export async function savePlace(actor: SiteActor, id: unknown | null, input: unknown): Promise<PlaceRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	if (id !== null) await siteRead(siteId, () => ownPlace(siteId, id));
	const data = parseInput(placeSchema, input);
	const slug = data.slug || slugify(data.name) || 'place';
	return write(
		{ siteId, actor: auditActor(who), unique: { place_site_slug_key: { field: 'slug', message: takenMessage(slug) } } },
		async (w) => {
			const values = { ...data, slug };
			const row = id === null ? await createPlace(siteId, values) : await updatePlace(siteId, String(id), values);
			if (!row) throw notFound();
			if (id !== null) await copyPlaceToEvents(siteId, row);
			await w.audit({ action: id === null ? 'place.create' : 'place.update', targetType: 'place', targetId: row.id, target: row.name });
			return row;
		}
	);
}

export async function deletePlace(actor: SiteActor, id: unknown, input: unknown): Promise<PlaceRow> {
	const who = allow(actor, 'content.edit');
	const siteId = who.site.id;
	parseInput(z.object({ confirm: fields.confirm() }), input);
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const existing = await ownPlace(siteId, id);
		const row = await deletePlaceRow(siteId, existing);
		if (!row) throw notFound();
		await w.audit({ action: 'place.delete', targetType: 'place', targetId: row.id, target: row.name });
		return row;
	});
}

/** /places/<slug> for visitors: the site's place, or not found. */
export async function placeForVisitor(siteId: string, slug: string): Promise<PlaceRow> {
	const row = /^[a-z0-9-]{1,63}$/.test(slug) ? await siteRead(siteId, () => getPlaceBySlug(siteId, slug)) : undefined;
	if (!row) throw notFound(m.no_such_place());
	return row;
}

/**
 * The editor's place and tags checked against the site: another site's (or an unknown) id is a
 * field error, so nothing is written. A chosen place replaces the typed venue with its own.
 */
export async function resolveEventLinks(
	siteId: string,
	data: { placeId: string; tagIds: string[]; venueName: string; venueAddress: string }
): Promise<{ placeId: string | null; tagIds: string[]; venueName: string; venueAddress: string }> {
	return siteRead(siteId, async () => {
		const place = data.placeId ? await getPlace(siteId, data.placeId) : undefined;
		if (data.placeId && !place) throw invalidInput({ placeId: m.events_admin_error_choose_place() });
		const tags = await getTagsByIds(siteId, data.tagIds);
		if (tags.length !== data.tagIds.length) throw invalidInput({ tagIds: m.events_admin_error_choose_tags() });
		return {
			placeId: place?.id ?? null,
			tagIds: data.tagIds,
			venueName: place ? place.name : data.venueName,
			venueAddress: place ? place.address : data.venueAddress
		};
	});
}

/** What the event editor offers: the site's places and tags (names only). */
export async function eventEditorChoices(
	actor: SiteActor
): Promise<{ places: { id: string; name: string }[]; tags: { id: string; name: string }[] }> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () => {
		const [places, tags] = await Promise.all([listPlaces(who.site.id), listTags(who.site.id)]);
		return { places: places.map((p) => ({ id: p.id, name: p.name })), tags: tags.map((t) => ({ id: t.id, name: t.name })) };
	});
}
