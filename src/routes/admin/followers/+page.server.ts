/**
 * Followers (owners): how many, who, remove one, export as CSV, the weekly digest's day and hour,
 * and a preview of this week's digest in the real template. 404 when the server sends no mail.
 */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { followersPage, previewDigest, removeFollower, saveDigestSchedule } from '$lib/server/services/followers';
import { adminPath } from '$lib/server/admin-path';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const actor = siteActor(event.locals);
		const page = await followersPage(actor);
		const preview = await previewDigest(actor);
		return {
			...page,
			followers: page.followers.map((f) => ({ id: f.id, email: f.email, status: f.status, since: f.createdAt.toISOString() })),
			preview,
			followUrl: canonicalUrl(event.locals.site!.primaryHost, '/follow', event)
		};
	});

export const actions: Actions = {
	remove: (event) =>
		formAction(event, 'remove', async ({ input }) => {
			await removeFollower(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/followers?done=removed'));
		}),
	schedule: (event) =>
		formAction(event, 'schedule', async ({ input }) => {
			await saveDigestSchedule(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/followers?done=schedule'));
		})
};
