/** A new page: an empty editor, saved as a draft or published by the button pressed. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { formAction, formValues } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { savePage } from '$lib/server/services/pages';
import { previewMarkdown } from '$lib/server/services/preview';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	return {};
};

export const actions: Actions = {
	save: (event) =>
		formAction(event, undefined, async ({ input }) => {
			const saved = await savePage(siteActor(event.locals), null, input);
			redirect(303, adminPath(event, `/pages/${saved.id}?saved=1`));
		}),
	/** The text as visitors will see it; nothing is saved. */
	preview: (event) =>
		formAction(event, undefined, async ({ form, input }) => ({
			preview: await previewMarkdown(siteActor(event.locals), input.body, 50_000),
			values: formValues(form)
		}))
};
