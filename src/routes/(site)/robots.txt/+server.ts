import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { robotsTxt } from '$lib/server/public-site/sitemap';
import { canonicalUrl } from '$lib/server/urls';

export const GET: RequestHandler = ({ locals, url }) => {
	const site = locals.site;
	if (!site) error(404, 'Not found');
	return new Response(robotsTxt(canonicalUrl(site.primaryHost, '/sitemap.xml', { url })), {
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};
