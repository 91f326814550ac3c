/**
 * The super-admin panel exists only for super admins. Signed-in people who are not (owners
 * included) get the same 404 as a path that does not exist, for every page AND every action.
 * A visitor who is not signed in is sent to sign in when opening a page (every /admin does that,
 * on every host, so it reveals nothing); an action without a session is a 404 too.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { platformActor, type PlatformActor } from '../services/actor';

export function requireSuperAdmin(event: Pick<RequestEvent, 'locals' | 'url' | 'request'>): PlatformActor {
	const { locals } = event;
	if (!locals.isHub) error(404, 'Not found');
	if (!locals.user && event.request.method === 'GET' && !event.url.pathname.startsWith('/admin/switch')) {
		redirect(303, `/login?${new URLSearchParams({ next: event.url.pathname + event.url.search })}`);
	}
	if (!locals.user || !locals.isSuperAdmin) error(404, 'Not found');
	return platformActor(locals);
}
