/**
 * Following the site by e-mail: the sign-up form, and the answer to it (the footer's and the
 * events page's forms post here). Hidden (404) when the server sends no mail.
 */
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/forms';
import { followersEnabled, followSite } from '$lib/server/services/followers';
import { clientIp } from '$lib/server/auth/client-ip';
import { env } from '$lib/server/env';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.site || !followersEnabled()) error(404, 'Not found');
	return { siteName: locals.site.name };
};

export const actions: Actions = {
	default: (event) =>
		formAction(event, 'follow', async ({ input }) => {
			if (!event.locals.site) error(404, 'Not found');
			const { email } = await followSite(event.locals.site, input, { ip: clientIp(event, env().TRUST_PROXY) });
			return { form: 'follow', sent: email };
		})
};
