/**
 * One-time invitation link: shows what it offers, sends the person through sign-in (coming back
 * here), then the "Accept" button grants the role. The token is single-use (consumed by a
 * conditional UPDATE), expires, and only works on the site that issued it.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { findPendingInviteByTokenHash, hashInviteToken } from '$lib/server/queries/members';
import { acceptInviteLink } from '$lib/server/auth/membership';
import { authPageLook } from '$lib/server/auth/page-theme';

const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

export const load: PageServerLoad = async ({ locals, params, url, setHeaders }) => {
	const site = locals.site;
	if (!site || locals.isHub) error(404, 'Not found');
	// The token is a credential: keep it out of caches and Referer headers.
	setHeaders({ 'referrer-policy': 'no-referrer' });
	const invite = TOKEN.test(params.token) ? await findPendingInviteByTokenHash(site.id, hashInviteToken(params.token)) : undefined;
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
		if (!locals.site || locals.isHub) error(404, 'Not found');
		if (!locals.user) redirect(303, `/login?${new URLSearchParams({ next: url.pathname })}`);
		const accepted = TOKEN.test(params.token) ? await acceptInviteLink(locals.site.id, params.token, locals.user) : null;
		if (!accepted) return fail(410, { message: 'This invitation has expired or was already used.' });
		redirect(303, '/admin');
	}
};
