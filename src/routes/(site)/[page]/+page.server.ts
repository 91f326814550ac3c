import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getPublishedPageBySlug } from '$lib/server/queries/pages';
import { plainText, renderMarkdown } from '$lib/server/markdown';
import { buildSeo } from '$lib/server/public-site/seo';

export const load: PageServerLoad = async (event) => {
	const site = event.locals.site!;
	// Unpublished pages and other sites' pages are the same "not found".
	const row = await getPublishedPageBySlug(site.id, event.params.page);
	if (!row) error(404, 'There is no such page.');
	return {
		page: { title: row.title, bodyHtml: renderMarkdown(row.body) },
		seo: buildSeo(site, event, { path: `/${row.slug}`, title: row.title, description: plainText(row.body, 200), type: 'article' })
	};
};
