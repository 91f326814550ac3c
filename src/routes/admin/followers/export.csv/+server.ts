/** The site's followers as CSV (owners), for moving them to another mailing tool. */
import type { RequestHandler } from './$types';
import { siteActor } from '$lib/server/services/actor';
import { exportFollowersCsv } from '$lib/server/services/followers';

export const GET: RequestHandler = async ({ locals }) => {
	const csv = await exportFollowersCsv(siteActor(locals));
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="followers-${locals.site!.slug}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
