/** The version history of a recurring series: saved templates, what each changed, "restore this version". */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { revisionsFor } from '$lib/server/services/revisions';
import { restoreSeriesRevision } from '$lib/server/services/series';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = (event) =>
	pageData(async () => ({
		history: await revisionsFor(siteActor(event.locals), 'series', event.params.id, event.url.searchParams.get('rev')),
		editorPath: `/events/series/${event.params.id}`
	}));

export const actions: Actions = {
	restore: (event) =>
		formAction(event, 'restore', async ({ input }) => {
			const restored = await restoreSeriesRevision(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, `/events/series/${restored.id}/revisions?restored=1`));
		})
};
