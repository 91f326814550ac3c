import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';
import { robotsTxt } from '$lib/server/public-site/sitemap';
import { canonicalUrl } from '$lib/server/urls';

export const GET: RequestHandler = ({ locals, url }) => {
	const site = locals.site;
	if (!site) error(404, m.error_not_found_text());
	return new Response(robotsTxt(canonicalUrl(site.primaryHost, '/sitemap.xml', { url })), {
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};
