import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { removePage, savePage, sitePageOr404 } from '$lib/server/admin/page-actions';
import { adminPath } from '$lib/server/admin/context';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = async (event) => {
	requirePermission(event.locals, 'content.edit');
	const row = await sitePageOr404(event);
	return {
		page: {
			id: row.id,
			published: row.published,
			publicUrl: canonicalUrl(event.locals.site!.primaryHost, `/${row.slug}`, event),
			values: { title: row.title, slug: row.slug, body: row.body, published: row.published ? 'on' : '', showInNav: row.showInNav ? 'on' : '' }
		}
	};
};

export const actions: Actions = {
	save: async (event) => savePage(event, await sitePageOr404(event)),
	delete: async (event) => {
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') return fail(400, { form: 'delete', errors: { confirm: 'Tick the box to confirm' }, values: {} });
		await removePage(event);
		redirect(303, adminPath(event, '/pages?deleted=1'));
	}
};
