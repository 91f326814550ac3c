/**
 * Homepage editor (editors and up): hero title and text, the intro in Markdown, which sections
 * show. "Preview" renders the intro through the same sanitizer as the public page, server-side,
 * so what you see is exactly what visitors will get (and it works without JavaScript).
 */
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { fields, parseForm, formValues } from '$lib/server/forms';
import { getHome, saveHome } from '$lib/server/queries/home';
import { siteWrite } from '$lib/server/queries/write';
import { actorOf, adminPath } from '$lib/server/admin/context';
import { renderMarkdown } from '$lib/server/markdown';

const homeSchema = z.object({
	heroTitle: fields.text(200, 'Headline'),
	heroText: fields.text(500, 'Text under the headline'),
	intro: fields.text(20_000, 'Introduction'),
	showEvents: fields.checkbox(),
	showLinks: fields.checkbox()
});

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	const home = await getHome(locals.site!.id);
	return {
		values: {
			heroTitle: home.heroTitle,
			heroText: home.heroText,
			intro: home.intro,
			showEvents: home.showEvents ? 'on' : '',
			showLinks: home.showLinks ? 'on' : ''
		},
		introHtml: renderMarkdown(home.intro)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'content.edit');
		const form = await request.formData();
		const parsed = parseForm(homeSchema, form);
		if (!parsed.ok) return parsed.failure;
		const site = locals.site!;
		await siteWrite(site.id, actorOf(locals), { action: 'home.update', targetType: 'home', targetId: site.id }, (tx) =>
			saveHome(site.id, parsed.data, tx)
		);
		redirect(303, adminPath(event, '/homepage?saved=1'));
	},
	/** Render the intro as visitors would see it, without saving anything. */
	preview: async ({ locals, request }) => {
		requirePermission(locals, 'content.edit');
		const form = await request.formData();
		return { preview: renderMarkdown(String(form.get('intro') ?? '').slice(0, 20_000)), values: formValues(form) };
	}
};
