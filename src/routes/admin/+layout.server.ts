/**
 * Every /admin page (on a site's host, or /sites/<slug>/admin on the hub): not signed in → the
 * sign-in page, coming back here; signed in without a role → the "no access" page (403).
 * This guards page loads only: every form action checks again with requirePermission.
 */
import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/auth/permissions';
import { authPageLook } from '$lib/server/auth/page-theme';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const site = locals.site;
	if (!site) error(404, 'Not found');
	if (!locals.user) redirect(303, `/login?${new URLSearchParams({ next: url.pathname + url.search })}`);
	if (!can(locals, 'admin.view')) {
		const look = authPageLook(site);
		error(403, {
			message: 'You don’t have access to this site',
			noAccess: { siteName: look.siteName, style: look.style, userName: locals.user.name }
		});
	}
	return {
		admin: { siteName: site.name, userName: locals.user.name, role: locals.role, isSuperAdmin: locals.isSuperAdmin }
	};
};
