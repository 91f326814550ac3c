/** The version history of the page: saved versions, what each changed, "restore this version". */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { restoreRevision, revisionsFor } from '$lib/server/services/revisions';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = (event) =>
	pageData(async () => ({
		history: await revisionsFor(siteActor(event.locals), 'page', event.params.id, event.url.searchParams.get('rev')),
		editorPath: `/pages/${event.params.id}`
	}));

export const actions: Actions = {
	restore: (event) =>
		formAction(event, 'restore', async ({ input }) => {
			const restored = await restoreRevision(siteActor(event.locals), 'page', event.params.id, input);
			redirect(303, adminPath(event, `/pages/${event.params.id}/revisions?rev=${restored.id}&restored=1`));
		})
};
