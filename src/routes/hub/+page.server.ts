/** The hub's landing page: what the platform is; signed in, the sites you help run. */
import type { PageServerLoad } from './$types';
import { env } from '$lib/server/env';
import { sitesOfUser } from '$lib/server/queries/hub';
import { publicOrigin } from '$lib/server/urls';

export const load: PageServerLoad = async (event) => {
	const { locals } = event;
	const platformDomain = env().PLATFORM_DOMAIN;
	const mine = locals.user ? await sitesOfUser(locals.user.id) : [];
	return {
		platformDomain,
		origin: publicOrigin(platformDomain, event),
		user: locals.user ? { name: locals.user.name } : null,
		isSuperAdmin: locals.isSuperAdmin,
		sites: mine.map((s) => {
			const host = s.primaryHost ?? `${s.slug}.${platformDomain}`;
			const origin = publicOrigin(host, event);
			return {
				name: s.name,
				slug: s.slug,
				role: s.role,
				status: s.status,
				host,
				siteUrl: `${origin}/`,
				adminUrl: `${origin}/admin`,
				hubAdminUrl: `/sites/${s.slug}/admin`
			};
		})
	};
};
