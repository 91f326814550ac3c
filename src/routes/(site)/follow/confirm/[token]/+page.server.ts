/**
 * The double opt-in link from the confirmation mail. Opening it shows a button; the POST confirms
 * (link scanners that fetch every URL in a mail do not confirm anyone by fetching it).
 */
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { confirmFollow, followersEnabled } from '$lib/server/services/followers';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.site || !followersEnabled()) error(404, 'Not found');
	return { siteName: locals.site.name };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		if (!locals.site) error(404, 'Not found');
		const confirmed = await confirmFollow(locals.site, params.token);
		return { confirmed: confirmed !== null };
	}
};
