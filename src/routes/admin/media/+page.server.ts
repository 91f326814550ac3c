/** Media library (editors and up): every image of the site, upload, alt text, delete (services/media.ts). */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deleteImage, mediaLibrary, setAltText, uploadToLibrary } from '$lib/server/services/media';
import { adminPath } from '$lib/server/admin-path';
import { ALT_TEXT_MAX } from '$lib/server/media';
import { imageSource, variantUrl } from '$lib/media-url';
import { mediaBase } from '$lib/server/media-base';

const KIND_LABEL = { logo: 'Logo', background: 'Background', event: 'Event image', page: 'Image' } as const;

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const base = mediaBase();
		const assets = await mediaLibrary(siteActor(locals));
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
	});

export const actions: Actions = {
	upload: (event) =>
		formAction(event, 'upload', async ({ input }) => {
			await uploadToLibrary(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/media?uploaded=1'));
		}),
	alt: (event) =>
		formAction(event, rowForm('alt'), async ({ input }) => {
			const row = await setAltText(siteActor(event.locals), input);
			redirect(303, adminPath(event, `/media?saved=1#asset-${row.id}`));
		}),
	delete: (event) =>
		formAction(event, rowForm('delete'), async ({ input }) => {
			await deleteImage(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/media?deleted=1'));
		})
};
