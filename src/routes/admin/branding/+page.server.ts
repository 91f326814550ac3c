/**
 * Branding (admins and up): colours, fonts, light/dark, logo and background image. Colours are
 * checked against WCAG AA on the server as well as in the live preview; a text colour that does
 * not reach AA on the background is saved but replaced on the site by black or white (whichever
 * reads better), and the editor says so before saving.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { formAction } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { clearSiteImage, updateBranding, uploadSiteImage, type ImageSlot } from '$lib/server/services/settings';
import { adminPath } from '$lib/server/admin-path';
import { imageSource } from '$lib/media-url';
import { mediaBase } from '$lib/server/media-base';
import { FONTS } from '$lib/theme';
import { nextEventForPreview } from '$lib/server/services/events';
import { setBackgroundFocus } from '$lib/server/services/focal';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'site.branding');
	const site = locals.site!;
	const base = mediaBase();
	const background = site.background ? imageSource(base, site.background, 960) : null;
	return {
		site: { name: site.name, tagline: site.tagline },
		nextEvent: await nextEventForPreview(siteActor(locals)),
		theme: site.theme,
		fonts: Object.entries(FONTS).map(([key, f]) => ({ key, label: f.label, stack: f.stack })),
		logo: site.logo ? { src: imageSource(base, site.logo, 256).src, alt: site.logo.altText } : null,
		background: background
			? {
					src: background.src,
					alt: background.alt,
					position: background.position,
					focalX: site.background!.focalX,
					focalY: site.background!.focalY,
					frame: site.background!.frame,
					width: site.background!.width,
					height: site.background!.height
				}
			: null
	};
};

const saved = (event: RequestEvent): never => redirect(303, adminPath(event, '/branding?saved=1'));

const upload = (slot: ImageSlot) => (event: RequestEvent) =>
	formAction(event, slot, async ({ input }) => {
		await uploadSiteImage(siteActor(event.locals), slot, input);
		saved(event);
	});
const clear = (slot: ImageSlot) => (event: RequestEvent) =>
	formAction(event, slot, async () => {
		await clearSiteImage(siteActor(event.locals), slot);
		saved(event);
	});

export const actions: Actions = {
	save: (event) =>
		formAction(event, 'theme', async ({ input }) => {
			await updateBranding(siteActor(event.locals), input);
			saved(event);
		}),
	logo: upload('logo'),
	background: upload('background'),
	removeLogo: clear('logo'),
	removeBackground: clear('background'),
	/** The point of the background that must stay visible on phones. */
	focus: (event) =>
		formAction(event, 'focus', async ({ input }) => {
			await setBackgroundFocus(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/branding?focus=1'));
		})
};
