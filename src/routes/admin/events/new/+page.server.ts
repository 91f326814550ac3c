/** A new event: an empty editor, saved as a draft unless published straight away. */
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { saveEvent } from '$lib/server/admin/event-actions';
import { previewMarkdown } from '$lib/server/admin/preview';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	return { event: null, timezone: locals.site!.timezone };
};

export const actions: Actions = {
	save: (event) => saveEvent(event, null),
	/** The description as visitors will see it; nothing is saved. */
	preview: (event) => previewMarkdown(event, 'description', 20_000)
};
