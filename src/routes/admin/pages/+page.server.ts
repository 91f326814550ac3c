/** Pages of the site: published and drafts. */
import type { PageServerLoad } from './$types';
import { pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { pagesForAdmin } from '$lib/server/services/pages';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => ({
		pages: (await pagesForAdmin(siteActor(locals))).map((p) => ({
			id: p.id,
			title: p.title,
			slug: p.slug,
			published: p.published,
			scheduled: !p.published && p.publishAt !== null,
			showInNav: p.showInNav,
			updatedAt: p.updatedAt.toISOString()
		}))
	}));
