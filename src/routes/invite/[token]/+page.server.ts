/**
 * One-time invitation link: shows what it offers, sends the person through sign-in (coming back
 * here), then "Accept invitation" grants the role. The token is single-use (consumed by a
 * conditional UPDATE), expires, and only works on the site that issued it (services/members.ts).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { acceptInviteLink, invitationOfLink } from '$lib/server/services/members';
import { authPageLook } from '$lib/server/auth/page-theme';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async ({ locals, params, url, setHeaders }) => {
	const site = locals.site;
	if (!site || locals.isHub) error(404, m.admin_error_not_found());
	// The token is a credential: never sent in a Referer to another site. `same-origin`, not
	// `no-referrer`: with the latter, browsers send `Origin: null` with the Accept form.
	setHeaders({ 'referrer-policy': 'same-origin' });
	const invite = await invitationOfLink(site, params.token);
	return {
		...authPageLook(site),
		invite: invite ? { role: invite.role, expiresAt: invite.expiresAt.toISOString() } : null,
		userName: locals.user?.name ?? null,
		currentRole: locals.role,
		loginUrl: `/login?${new URLSearchParams({ next: url.pathname })}`
	};
};

export const actions: Actions = {
	accept: async ({ locals, params, url }) => {
		if (!locals.site || locals.isHub) error(404, m.admin_error_not_found());
		if (!locals.user) redirect(303, `/login?${new URLSearchParams({ next: url.pathname })}`);
		const accepted = await acceptInviteLink(locals.site, params.token, locals.user);
		if (!accepted) return fail(410, { message: m.admin_invite_used() });
		redirect(303, '/admin');
	}
};
