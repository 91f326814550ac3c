/** Media library (editors and up): every image of the site, upload, alt text, delete (services/media.ts). */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deleteImage, editorLibrary, mediaLibrary, setAltText, uploadToLibrary } from '$lib/server/services/media';
import type { AssetRow } from '$lib/server/queries/assets';
import { adminPath } from '$lib/server/admin-path';
import { ALT_TEXT_MAX } from '$lib/server/media';
import { imageSource, variantUrl } from '$lib/media-url';
import { mediaBase } from '$lib/server/media-base';

/** An image as the rich text editor inserts it: the Markdown names the largest variant (server/rich-text.ts adds the rest). */
function editorImage(base: string, a: AssetRow) {
	return { id: a.id, thumb: imageSource(base, a, 480).src, src: variantUrl(base, a, Math.max(...a.variants)), alt: a.altText };
}

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const base = mediaBase();
		const assets = await mediaLibrary(siteActor(locals));
		return {
			assets: assets.map((a) => ({
				id: a.id,
				// Named in the person's language by the page.
				kind: a.kind,
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
	/** The rich text editor's picker (fetched by the editor; JSON through SvelteKit's action result). */
	library: (event) =>
		formAction(event, 'library', async () => {
			const base = mediaBase();
			const { images, events } = await editorLibrary(siteActor(event.locals));
			return { images: images.map((a) => editorImage(base, a)), events };
		}),
	/** An image pasted, dropped or chosen in the rich text editor, with the alt text given there. */
	insert: (event) =>
		formAction(event, 'insert', async ({ input }) => {
			const row = await uploadToLibrary(siteActor(event.locals), input);
			return { image: editorImage(mediaBase(), row) };
		}),
	delete: (event) =>
		formAction(event, rowForm('delete'), async ({ input }) => {
			await deleteImage(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/media?deleted=1'));
		})
};
