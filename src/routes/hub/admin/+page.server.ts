/**
 * The super-admin panel (hub /admin): every site, searchable and paged — the whole page is ONE
 * query — and creating a site (services/sites.ts). The activity feed is its own page.
 */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { searchSites, SITES_PER_PAGE } from '$lib/server/queries/hub';
import { createSite } from '$lib/server/services/sites';
import { formAction } from '$lib/server/forms';
import { env } from '$lib/server/env';
import { timeZones } from '$lib/time';

export const load: PageServerLoad = async (event) => {
	requireSuperAdmin(event);
	const q = event.url.searchParams.get('q') ?? '';
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	const list = await searchSites(q, page);
	const e = env();
	return {
		q,
		page,
		pages: Math.max(1, Math.ceil(list.total / SITES_PER_PAGE)),
		total: list.total,
		sites: list.rows.map((s) => ({ ...s, lastChange: s.lastChange?.toISOString() ?? null })),
		suspended: list.suspended,
		platformDomain: e.PLATFORM_DOMAIN,
		defaultTimezone: e.DEFAULT_TIMEZONE,
		timezones: timeZones()
	};
};

export const actions: Actions = {
	create: (event) =>
		formAction(event, 'create', async ({ input }) => {
			const site = await createSite(requireSuperAdmin(event), input);
			redirect(303, `/admin/sites/${site.slug}?created=1`);
		})
};
