/** Background jobs (super admins): queued, running, failed with their error; retry and cancel. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { formAction, pageData } from '$lib/server/forms';
import { cancelJob, listJobsForAdmin, retryJob } from '$lib/server/services/jobs-admin';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const actor = requireSuperAdmin(event);
		return { jobs: await listJobsForAdmin(actor) };
	});

export const actions: Actions = {
	retry: (event) =>
		formAction(event, undefined, async ({ input }) => {
			await retryJob(requireSuperAdmin(event), input);
			redirect(303, '/admin/jobs?done=retried');
		}),
	cancel: (event) =>
		formAction(event, undefined, async ({ input }) => {
			await cancelJob(requireSuperAdmin(event), input);
			redirect(303, '/admin/jobs?done=cancelled');
		})
};
