/**
 * Places (editors and up): a site's reusable venues. An event that picks a place carries a copy of
 * its name and address (so calendars, feeds and JSON-LD read one row); renaming the place updates
 * those copies, deleting it leaves them as typed text.
 */
import { z } from 'zod';
import { invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput, slugify } from '../input';
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

const coordinate = (min: number, max: number, label: string) =>
	z
		.union([
			z.literal(''),
			z.coerce
				.number({ message: `${label}: a number in degrees` })
				.min(min, `${label}: at least ${min}`)
				.max(max, `${label}: at most ${max}`)
		])
		.optional()
		.default('')
		.transform((v) => (v === '' ? null : v));

const placeSchema = z
	.object({
		name: fields.required(200, 'Name'),
		slug: z
			.union([z.literal(''), fields.slug('Web address')])
			.optional()
			.default(''),
		address: fields.text(500, 'Address'),
		latitude: coordinate(-90, 90, 'Latitude'),
		longitude: coordinate(-180, 180, 'Longitude'),
		accessibility: fields.text(2000, 'Accessibility'),
		url: fields.optionalUrl('Link')
	})
	.superRefine((v, ctx) => {
		if ((v.latitude === null) !== (v.longitude === null))
			ctx.addIssue({
				code: 'custom',
				path: [v.latitude === null ? 'latitude' : 'longitude'],
				message: 'Give both coordinates, or neither'
			});
	});

const takenMessage = (slug: string) => `Another place already uses the address /places/${slug}`;

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
	parseInput(z.object({ confirm: z.literal('yes', { message: 'Tick the box to confirm' }) }), input);
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
	if (!row) throw notFound('There is no such place.');
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
		if (data.placeId && !place) throw invalidInput({ placeId: 'Choose one of the places' });
		const tags = await getTagsByIds(siteId, data.tagIds);
		if (tags.length !== data.tagIds.length) throw invalidInput({ tagIds: 'Choose tags from the list' });
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
