/**
 * The media library (editors and up): every image of the site, upload, alt text, delete; and
 * `storeImage`, the one way a form's file becomes an asset (events and branding use it too).
 * Deleting an image that is still used (logo, background, an event, text) is refused with a
 * message naming the uses (media/delete.ts says why it does not clear them silently).
 */
import { z } from 'zod';
import { AppError, notFound } from '../errors';
import { isUuid } from '../ids';
import { fields, parseInput } from '../input';
import { siteRead } from '../db';
import { listAssets, updateAssetAlt, type AssetKind, type AssetRow } from '../queries/assets';
import { listUpcomingEvents } from '../queries/events';
import { describeWhen } from '../../event-time';
import { ALT_TEXT_MAX, deleteAsset, processUpload, readUpload, uploadFailure } from '../media';
import { allow, auditActor, type AllowedActor, type SiteActor } from './actor';
import { write } from './write';
import { m } from '../../paraglide/messages';

/** Whether the form's file field holds a chosen file (browsers post an empty, nameless one otherwise). */
export function fileChosen(value: unknown): value is File {
	return value instanceof File && (value.size > 0 || value.name !== '');
}

/** The form's file in `field` as a new asset of the site, or AppError with the reason on that field. */
export async function storeImage(
	actor: AllowedActor,
	kind: AssetKind,
	field: string,
	input: Record<string, unknown>,
	altText: string
): Promise<AssetRow> {
	const upload = readUpload(input, field);
	if (!upload.ok)
		throw new AppError(upload.status === 400 ? 'invalid' : 'unprocessable', upload.message, undefined, { [field]: upload.message });
	try {
		return await processUpload(actor.site, kind, upload.file, { altText, actor: auditActor(actor) });
	} catch (error) {
		const refused = uploadFailure(error);
		if (refused && error instanceof AppError) throw new AppError(error.code, refused.message, error.detail, { [field]: refused.message });
		throw error;
	}
}

export async function mediaLibrary(actor: SiteActor): Promise<AssetRow[]> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => listAssets(who.site.id));
}

export async function uploadToLibrary(actor: SiteActor, input: Record<string, unknown>): Promise<AssetRow> {
	const who = allow(actor, 'content.edit');
	const { altText } = parseInput(z.object({ altText: fields.text(ALT_TEXT_MAX, m.admin_field_description) }), input);
	return storeImage(who, 'page', 'image', input, altText);
}

export async function setAltText(actor: SiteActor, input: unknown): Promise<AssetRow> {
	const who = allow(actor, 'content.edit');
	const { id, altText } = parseInput(z.object({ id: z.unknown(), altText: fields.text(ALT_TEXT_MAX, m.admin_field_description) }), input);
	if (!isUuid(id)) throw notFound();
	return write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		const row = await updateAssetAlt(who.site.id, id, altText);
		if (!row) throw notFound();
		await w.audit({ action: 'asset.alt', targetType: 'asset', targetId: id, target: altText });
		return row;
	});
}

export async function deleteImage(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'content.edit');
	const { id } = parseInput(z.object({ id: z.unknown() }), input);
	if (!isUuid(id)) throw notFound();
	await deleteAsset(who.site.id, id, { actor: auditActor(who) });
}

/** What the rich text editor offers to insert: the site's images and its upcoming public events. */
export async function editorLibrary(actor: SiteActor, now = new Date()) {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, async () => {
		const [images, events] = await Promise.all([listAssets(who.site.id), listUpcomingEvents(who.site.id, now, 100)]);
		return {
			images,
			events: events.map((e) => ({ slug: e.slug, title: e.title, when: describeWhen(e, who.site.timezone).label }))
		};
	});
}
