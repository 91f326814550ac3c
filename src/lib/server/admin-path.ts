/**
 * Where the admin of a site lives for this request: `/admin` on the site's own host, or
 * `/sites/<slug>/admin` on the hub (super admins and members working from the hub). Every admin
 * link and redirect is built from this base, so the same screens serve both entry points and two
 * tabs on two sites never share state.
 */
import type { RequestEvent } from '@sveltejs/kit';

export function adminBase(locals: App.Locals): string {
	return locals.isHub && locals.site ? `/sites/${locals.site.slug}/admin` : '/admin';
}

/** `adminPath(event, '/events')` → `/admin/events` or `/sites/<slug>/admin/events`. */
export function adminPath(event: Pick<RequestEvent, 'locals'>, path = ''): string {
	return adminBase(event.locals) + path;
}
