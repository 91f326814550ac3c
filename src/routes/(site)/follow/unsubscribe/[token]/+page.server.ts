/**
 * The unsubscribe link of every mail. A person opening it gets a button; a mail client's RFC 8058
 * one-click POST (`List-Unsubscribe=One-Click`, no cookies, no Origin) unsubscribes directly:
 * hooks.server.ts lets this one path through the cross-site form check.
 */
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { followersEnabled, unsubscribe, unsubscribeLinkValid } from '$lib/server/services/followers';

export const load: PageServerLoad = ({ locals, params }) => {
	if (!locals.site || !followersEnabled()) error(404, 'Not found');
	return { siteName: locals.site.name, valid: unsubscribeLinkValid(locals.site, params.token) };
};

export const actions: Actions = {
	default: async ({ locals, params }) => {
		if (!locals.site) error(404, 'Not found');
		if (!(await unsubscribe(locals.site, params.token))) error(404, 'This link is not valid.');
		return { done: true };
	}
};
