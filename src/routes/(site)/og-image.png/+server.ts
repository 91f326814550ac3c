import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';
import { ogCardPng } from '$lib/server/public-site/og-card';
import { themeColors } from '$lib/theme';

/** The site's generated sharing card (og:image when it has no image of its own). */
export const GET: RequestHandler = async ({ locals }) => {
	const site = locals.site;
	if (!site) error(404, m.error_not_found_text());
	const png = await ogCardPng(themeColors(site.theme));
	return new Response(new Uint8Array(png), {
		headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=86400, stale-while-revalidate=604800' }
	});
};
