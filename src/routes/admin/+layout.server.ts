/**
 * Every /admin page (on a site's host, or /sites/<slug>/admin on the hub): not signed in → the
 * sign-in page, coming back here; signed in without a role → the "no access" page (403).
 * This guards page loads only: every form action checks again with requirePermission.
 */
import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/auth/permissions';
import { authPageLook } from '$lib/server/auth/page-theme';
import { adminBase } from '$lib/server/admin-path';
import { canonicalUrl, publicOrigin } from '$lib/server/urls';
import { env } from '$lib/server/env';
import { mediaBase } from '$lib/server/media-base';
import { imageSource } from '$lib/media-url';
import { ADMIN_SECTIONS } from '$lib/components/admin/nav';
import { followersEnabled } from '$lib/server/services/followers';
import { roleName } from '$lib/components/admin/roles';
import { m } from '$lib/paraglide/messages';

export const load: LayoutServerLoad = async (event) => {
	const { locals, url } = event;
	const site = locals.site;
	if (!site) error(404, m.admin_error_not_found());
	if (!locals.user) redirect(303, `/login?${new URLSearchParams({ next: url.pathname + url.search })}`);
	if (!can(locals, 'admin.view')) {
		const look = authPageLook(site);
		error(403, {
			message: m.admin_error_no_access(),
			noAccess: { siteName: look.siteName, style: look.style, userName: locals.user.name }
		});
	}
	return {
		admin: {
			base: adminBase(locals),
			siteName: site.name,
			siteSlug: site.slug,
			siteStatus: site.status,
			timezone: site.timezone,
			publicUrl: canonicalUrl(site.primaryHost, '/', event),
			logoUrl: site.logo ? imageSource(mediaBase(), site.logo, 256).src : null,
			userName: locals.user.name,
			userImage: locals.user.image,
			role: locals.role,
			isSuperAdmin: locals.isSuperAdmin,
			roleLabel: locals.isSuperAdmin && !locals.role ? m.admin_role_super_admin() : locals.role ? roleName(locals.role) : '',
			sections: ADMIN_SECTIONS.filter((s) => can(locals, s.action) && (!s.needsMail || followersEnabled())).map((s) => s.path),
			mediaBase: mediaBase(),
			// The site switcher (super admins): on the hub it suggests as you type; on a site's own
			// host it is a plain form to the hub, where the super admin's session lives.
			switcher: locals.isSuperAdmin
				? { hubOrigin: locals.isHub ? '' : publicOrigin(env().PLATFORM_DOMAIN, event), suggest: locals.isHub }
				: null
		}
	};
};
