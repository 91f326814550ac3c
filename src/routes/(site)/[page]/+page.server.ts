import type { PageServerLoad } from './$types';
import { pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { pageForVisitor } from '$lib/server/services/pages';
import { htmlOf, plainTextOfHtml } from '$lib/server/rich-text';
import { buildSeo } from '$lib/server/public-site/seo';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const site = event.locals.site!;
		// Unpublished pages (for visitors) and other sites' pages are the same "not found".
		const { row, draft } = await pageForVisitor(siteActor(event.locals), event.params.page);
		if (draft) event.setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
		const bodyHtml = await htmlOf(site, row.body, row);
		return {
			draft,
			page: { title: row.title, bodyHtml },
			seo: buildSeo(site, event, { path: `/${row.slug}`, title: row.title, description: plainTextOfHtml(bodyHtml, 200), type: 'article' })
		};
	});
