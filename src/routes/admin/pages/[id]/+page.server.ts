/** Edit one page; preview its text, delete it. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formValues, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deletePage, pageForEditor, savePage } from '$lib/server/services/pages';
import { previewMarkdown } from '$lib/server/services/preview';
import { adminPath } from '$lib/server/admin-path';
import { canonicalUrl } from '$lib/server/urls';
import { localDateTimeInput } from '$lib/time';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const actor = siteActor(event.locals);
		const row = await pageForEditor(actor, event.params.id);
		return {
			page: {
				id: row.id,
				published: row.published,
				bodyHtml: await previewMarkdown(actor, row.body),
				publicUrl: canonicalUrl(actor.site.primaryHost, `/${row.slug}`, event),
				values: {
					title: row.title,
					slug: row.slug,
					body: row.body,
					published: row.published ? 'on' : '',
					showInNav: row.showInNav ? 'on' : '',
					publishAt: row.publishAt ? localDateTimeInput(row.publishAt, actor.site.timezone) : ''
				}
			}
		};
	});

export const actions: Actions = {
	save: (event) =>
		formAction(event, undefined, async ({ input }) => {
			const saved = await savePage(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, `/pages/${saved.id}?saved=1`));
		}),
	/** The text as visitors will see it; nothing is saved. */
	preview: (event) =>
		formAction(event, undefined, async ({ form, input }) => {
			const actor = siteActor(event.locals);
			await pageForEditor(actor, event.params.id);
			return { preview: await previewMarkdown(actor, input.body, 50_000), values: formValues(form) };
		}),
	delete: (event) =>
		formAction(event, 'delete', async ({ input }) => {
			await deletePage(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, '/pages?deleted=1'));
		})
};
