/**
 * The signed-in person's e-mail for notices (services/notice-email.ts), on a site's host: where
 * notices go now, a form that sends a confirmation link to another address, and removing it.
 * Signed out: to the sign-in page and back.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { authPageLook } from '$lib/server/auth/page-theme';
import { noticeEmailView, removeNoticeEmail, requestNoticeEmail } from '$lib/server/services/notice-email';
import { m } from '$lib/paraglide/messages';

const here = '/account/email';
const signIn = () => redirect(303, `/login?${new URLSearchParams({ next: here })}`);

export const load: PageServerLoad = ({ locals, url }) =>
	pageData(async () => {
		if (!locals.site || locals.isHub) error(404, m.admin_error_not_found());
		if (!locals.user) signIn();
		return {
			...authPageLook(locals.site),
			...(await noticeEmailView(locals)),
			sentTo: url.searchParams.get('sent'),
			done: url.searchParams.get('done')
		};
	});

export const actions: Actions = {
	send: (event) =>
		formAction(event, 'send', async ({ input }) => {
			const { site, user } = event.locals;
			if (!site || event.locals.isHub) error(404, m.admin_error_not_found());
			if (!user) signIn();
			const { email } = await requestNoticeEmail(event.locals, site, input);
			redirect(303, `${here}?${new URLSearchParams({ sent: email })}`);
		}),
	remove: (event) =>
		formAction(event, 'remove', async () => {
			if (!event.locals.user) signIn();
			await removeNoticeEmail(event.locals);
			redirect(303, `${here}?done=removed`);
		})
};
