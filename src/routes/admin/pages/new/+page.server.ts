/** A new page: an empty editor (a draft unless "Published" is ticked). */
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { savePage } from '$lib/server/admin/page-actions';
import { previewMarkdown } from '$lib/server/admin/preview';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	return {};
};

export const actions: Actions = {
	save: (event) => savePage(event, null),
	/** The text as visitors will see it; nothing is saved. */
	preview: (event) => previewMarkdown(event, 'body', 50_000)
};
