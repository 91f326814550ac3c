/**
 * Homepage editor (editors and up). "Preview" renders the intro through the same sanitizer as the
 * public page, server-side, so what you see is what visitors get (and it works without JavaScript).
 */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formValues, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { homeForEditor, updateHome } from '$lib/server/services/home';
import { previewMarkdown } from '$lib/server/services/preview';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const home = await homeForEditor(siteActor(locals));
		return {
			values: {
				heroTitle: home.heroTitle,
				heroText: home.heroText,
				intro: home.intro,
				showEvents: home.showEvents ? 'on' : '',
				showLinks: home.showLinks ? 'on' : ''
			},
			introHtml: await previewMarkdown(siteActor(locals), home.intro)
		};
	});

export const actions: Actions = {
	save: (event) =>
		formAction(event, undefined, async ({ input }) => {
			await updateHome(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/homepage?saved=1'));
		}),
	/** Render the intro as visitors would see it, without saving anything. */
	preview: (event) =>
		formAction(event, undefined, async ({ form, input }) => ({
			preview: await previewMarkdown(siteActor(event.locals), input.intro, 20_000),
			values: formValues(form)
		}))
};
