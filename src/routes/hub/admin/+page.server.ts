/** Placeholder of the super-admin panel (hub `/admin`): super admins only, 404 for everyone else. */
import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login?next=%2Fadmin');
	if (!locals.isSuperAdmin) error(404, 'Not found');
	return { userName: locals.user.name };
};
