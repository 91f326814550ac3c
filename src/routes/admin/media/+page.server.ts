/**
 * Media library (editors and up): every image of the site, upload, alt text, delete. Deleting an
 * image that is still used (logo, background, an event, text) is refused with a message naming
 * the uses (see media/delete.ts for why it does not clear them silently).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { fields, invalid, parseForm } from '$lib/server/forms';
import { isUuid, listAssets, updateAssetAlt, type AssetRow } from '$lib/server/queries/assets';
import { siteWrite } from '$lib/server/queries/write';
import { actorOf, adminPath } from '$lib/server/admin/context';
import { ALT_TEXT_MAX, deleteAsset, processUpload, readUpload, uploadFailure } from '$lib/server/media';
import { AppError } from '$lib/server/errors';
import { imageSource, variantUrl } from '$lib/media-url';
import { mediaBase } from '$lib/server/media-base';

const KIND_LABEL = { logo: 'Logo', background: 'Background', event: 'Event image', page: 'Image' } as const;
const idField = z.string().refine(isUuid);

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	const base = mediaBase();
	const assets = await listAssets(locals.site!.id);
	return {
		assets: assets.map((a) => ({
			id: a.id,
			kind: KIND_LABEL[a.kind],
			thumb: imageSource(base, a, 480).src,
			// Markdown for pasting into a page or event text.
			markdown: `![${a.altText.replace(/[[\]]/g, '')}](${variantUrl(base, a, Math.max(...a.variants))})`,
			altText: a.altText,
			width: a.width,
			height: a.height,
			kb: Math.round(Number(a.bytes) / 1024),
			name: a.originalName
		})),
		altMax: ALT_TEXT_MAX
	};
};

export const actions: Actions = {
	upload: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'content.edit');
		const form = await request.formData();
		const upload = readUpload(form, 'image');
		if (!upload.ok) return invalid(form, { image: upload.message }, 'upload', undefined, upload.status);
		try {
			await processUpload(locals.site!, 'page', upload.file, { altText: String(form.get('altText') ?? ''), actor: actorOf(locals) });
		} catch (e) {
			const refused = uploadFailure(e);
			if (refused) return invalid(form, { image: refused.message }, 'upload', undefined, refused.status);
			throw e;
		}
		redirect(303, adminPath(event, '/media?uploaded=1'));
	},
	alt: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'content.edit');
		const form = await request.formData();
		const parsed = parseForm(z.object({ id: idField, altText: fields.text(ALT_TEXT_MAX, 'Description') }), form, `alt-${form.get('id')}`);
		if (!parsed.ok) return parsed.failure;
		const site = locals.site!;
		const { id, altText } = parsed.data;
		const row = await siteWrite(
			site.id,
			actorOf(locals),
			(r: AssetRow | undefined) => (r ? { action: 'asset.alt', targetType: 'asset', targetId: id, target: altText } : null),
			(tx) => updateAssetAlt(site.id, id, altText, tx)
		);
		if (!row) error(404, 'Not found');
		redirect(303, adminPath(event, `/media?saved=1#asset-${id}`));
	},
	delete: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'content.edit');
		const id = String((await request.formData()).get('id') ?? '');
		if (!idField.safeParse(id).success) error(404, 'Not found');
		try {
			await deleteAsset(locals.site!.id, id, { actor: actorOf(locals) });
		} catch (e) {
			if (e instanceof AppError && e.status === 404) error(404, 'Not found');
			if (e instanceof AppError && e.status === 409) return fail(409, { form: `delete-${id}`, message: e.message, errors: {}, values: {} });
			throw e;
		}
		redirect(303, adminPath(event, '/media?deleted=1'));
	}
};
