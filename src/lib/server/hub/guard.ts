/**
 * The super-admin panel exists only for super admins: everyone else, signed in or not, owners
 * included, gets the same 404 as a path that does not exist, for every page AND every action.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../content/audit';

export function requireSuperAdmin(event: Pick<RequestEvent, 'locals'>): Actor {
	const { locals } = event;
	// Not even a sign-in prompt: the panel's existence is not advertised (super admins sign in
	// from the landing page, which then links here).
	if (!locals.isHub || !locals.user || !locals.isSuperAdmin) error(404, 'Not found');
	return { userId: locals.user.id, name: locals.user.name };
}
