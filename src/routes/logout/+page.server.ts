import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signOut } from '$lib/server/auth/session';
import { authPageLook } from '$lib/server/auth/page-theme';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/');
	return { ...authPageLook(locals.site), userName: locals.user.name };
};

export const actions: Actions = {
	default: async (event) => {
		await signOut(event);
		redirect(303, '/');
	}
};
