import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { removePage, savePage, sitePageOr404 } from '$lib/server/admin/page-actions';
import { adminPath } from '$lib/server/admin/context';
import { canonicalUrl } from '$lib/server/urls';
import { previewMarkdown } from '$lib/server/admin/preview';
import { renderMarkdown } from '$lib/server/markdown';

export const load: PageServerLoad = async (event) => {
	requirePermission(event.locals, 'content.edit');
	const row = await sitePageOr404(event);
	return {
		page: {
			id: row.id,
			published: row.published,
			bodyHtml: renderMarkdown(row.body),
			publicUrl: canonicalUrl(event.locals.site!.primaryHost, `/${row.slug}`, event),
			values: {
				title: row.title,
				slug: row.slug,
				body: row.body,
				published: row.published ? 'on' : '',
				showInNav: row.showInNav ? 'on' : ''
			}
		}
	};
};

export const actions: Actions = {
	save: async (event) => {
		requirePermission(event.locals, 'content.edit');
		return savePage(event, await sitePageOr404(event));
	},
	/** The text as visitors will see it; nothing is saved. */
	preview: async (event) => {
		requirePermission(event.locals, 'content.edit');
		await sitePageOr404(event);
		return previewMarkdown(event, 'body', 50_000);
	},
	delete: async (event) => {
		requirePermission(event.locals, 'content.edit');
		await sitePageOr404(event);
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') return fail(400, { form: 'delete', errors: { confirm: 'Tick the box to confirm' }, values: {} });
		await removePage(event);
		redirect(303, adminPath(event, '/pages?deleted=1'));
	}
};
