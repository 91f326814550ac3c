/**
 * Branding (admins and up): colours, fonts, light/dark, logo and background image. Colours are
 * checked against WCAG AA on the server as well as in the live preview; a text colour that does
 * not reach AA on the background is saved but replaced on the site by black or white (whichever
 * reads better), and the editor says so before saving.
 */
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { invalid, parseForm } from '$lib/server/forms';
import { updateSiteTheme } from '$lib/server/queries/sites';
import { siteWrite } from '$lib/server/queries/write';
import { actorOf, adminPath } from '$lib/server/admin/context';
import { attachSiteImage, deleteAsset, processUpload, readUpload, uploadFailure } from '$lib/server/media';
import { imageSource } from '$lib/media-url';
import { mediaBase } from '$lib/server/media-base';
import { FONT_KEYS, FONTS } from '$lib/theme';

const hex = (label: string) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^#[0-9a-f]{6}$/, `${label}: use a colour like #1a2b3c`);
const optionalHex = (label: string) =>
	z
		.union([z.literal(''), hex(label)])
		.optional()
		.transform((v) => v || undefined);

const brandingSchema = z.object({
	mode: z.enum(['light', 'dark'], { message: 'Choose light or dark' }),
	accent: hex('Accent colour'),
	background: optionalHex('Background colour'),
	text: optionalHex('Text colour'),
	bodyFont: z.enum(FONT_KEYS, { message: 'Choose a font from the list' }),
	headingFont: z.enum(FONT_KEYS, { message: 'Choose a font from the list' })
});

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'site.branding');
	const site = locals.site!;
	const base = mediaBase();
	return {
		theme: site.theme,
		fonts: Object.entries(FONTS).map(([key, f]) => ({ key, label: f.label, stack: f.stack })),
		logo: site.logo ? { src: imageSource(base, site.logo, 256).src, alt: site.logo.altText } : null,
		background: site.background ? { src: imageSource(base, site.background, 960).src, alt: site.background.altText } : null
	};
};

/** Upload an image into the logo or background slot; the previous image stays in the media library. */
async function uploadSlot(event: RequestEvent, slot: 'logo' | 'background') {
	const { locals, request } = event;
	requirePermission(locals, 'site.branding');
	const form = await request.formData();
	const upload = readUpload(form, slot);
	if (!upload.ok) return invalid(form, { [slot]: upload.message }, slot, undefined, upload.status);
	const altText = String(form.get(`${slot}Alt`) ?? '').trim() || `${locals.site!.name} ${slot}`;
	let assetId: string;
	try {
		assetId = (await processUpload(locals.site!, slot, upload.file, { altText, actor: actorOf(locals) })).id;
	} catch (error) {
		const refused = uploadFailure(error);
		if (refused) return invalid(form, { [slot]: refused.message }, slot, undefined, refused.status);
		throw error;
	}
	try {
		await attachSiteImage(locals.site!.id, slot, assetId, actorOf(locals));
	} catch (error) {
		await deleteAsset(locals.site!.id, assetId).catch(() => {});
		throw error;
	}
	redirect(303, adminPath(event, '/branding?saved=1'));
}

async function clearSlot(event: RequestEvent, slot: 'logo' | 'background') {
	requirePermission(event.locals, 'site.branding');
	await attachSiteImage(event.locals.site!.id, slot, null, actorOf(event.locals));
	redirect(303, adminPath(event, '/branding?saved=1'));
}

export const actions: Actions = {
	save: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'site.branding');
		const form = await request.formData();
		const parsed = parseForm(brandingSchema, form, 'theme');
		if (!parsed.ok) return parsed.failure;
		const site = locals.site!;
		await siteWrite(
			site.id,
			actorOf(locals),
			{ action: 'branding.update', targetType: 'site', targetId: site.id, target: 'colours and fonts' },
			(tx) => updateSiteTheme(site.id, parsed.data, tx)
		);
		redirect(303, adminPath(event, '/branding?saved=1'));
	},
	logo: (event) => uploadSlot(event, 'logo'),
	background: (event) => uploadSlot(event, 'background'),
	removeLogo: (event) => clearSlot(event, 'logo'),
	removeBackground: (event) => clearSlot(event, 'background')
};
