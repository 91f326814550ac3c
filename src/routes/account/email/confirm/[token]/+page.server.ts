/**
 * The confirmation link of an e-mail for notices. It works only for the person who asked, signed
 * in (so a mail scanner that opens it confirms nothing); signed out, it goes through sign-in and
 * comes back. The token is a credential: never sent in a Referer.
 */
import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { pageData } from '$lib/server/forms';
import { authPageLook } from '$lib/server/auth/page-theme';
import { confirmNoticeEmail } from '$lib/server/services/notice-email';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = ({ locals, params, url, setHeaders }) =>
	pageData(async () => {
		if (!locals.site || locals.isHub) error(404, m.admin_error_not_found());
		setHeaders({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
		if (!locals.user) redirect(303, `/login?${new URLSearchParams({ next: url.pathname })}`);
		const confirmed = await confirmNoticeEmail(locals, params.token);
		return { ...authPageLook(locals.site), confirmed };
	});
