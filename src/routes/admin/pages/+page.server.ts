/** Pages of the site: published and drafts. */
import type { PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { listPages } from '$lib/server/queries/pages';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	const pages = await listPages(locals.site!.id);
	return {
		pages: pages.map((p) => ({
			id: p.id,
			title: p.title,
			slug: p.slug,
			published: p.published,
			showInNav: p.showInNav,
			updatedAt: p.updatedAt.toISOString()
		}))
	};
};
