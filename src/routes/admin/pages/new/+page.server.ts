import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { savePage } from '$lib/server/admin/page-actions';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	return {};
};

export const actions: Actions = {
	default: (event) => savePage(event, null)
};
