/**
 * Who may do what on a site: one `can(locals, action)` used by every admin route AND every form
 * action (layouts do not guard form actions, so each action checks again).
 *
 * Roles (DESIGN.md "Users"): editors edit content (home, pages, events, media); admins also
 * settings, branding, links and domains; owners also members. Super admins may do everything on
 * every site. A member of site A has no power on site B: `locals.role` is the role on
 * `locals.site` only.
 */
import { error } from '@sveltejs/kit';
import { AppError } from '../errors';
import { m } from '../../paraglide/messages';
import type { Role } from '../queries/members';

export const ACTIONS = {
	/** Open /admin at all (dashboard). */
	'admin.view': 'editor',
	/** Home page, pages, events, media library. */
	'content.edit': 'editor',
	'site.settings': 'admin',
	'site.branding': 'admin',
	'site.links': 'admin',
	'site.domains': 'admin',
	/** Change the slug (and so the subdomain). */
	'site.slug': 'admin',
	/** The Fediverse screen: followers (remove) and delivery health. */
	'site.fediverse': 'admin',
	/** Whether the site is followable from the fediverse at all (off: its actor is deleted). */
	'site.fediverse_switch': 'owner',
	'members.invite': 'admin',
	/** Change roles, remove members, transfer ownership. */
	'members.manage': 'owner',
	/** E-mail followers: list, export, remove, the weekly digest's schedule and preview. */
	'followers.manage': 'owner'
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTIONS;

const RANK: Record<Role, number> = { editor: 1, admin: 2, owner: 3 };

export interface PermissionContext {
	site: { id: string } | null;
	user: { id: string } | null;
	role: Role | null;
	isSuperAdmin: boolean;
}

export function can(locals: PermissionContext, action: Action): boolean {
	if (!locals.site || !locals.user) return false;
	if (locals.isSuperAdmin) return true;
	return locals.role !== null && RANK[locals.role] >= RANK[ACTIONS[action]];
}

/**
 * Why `action` is refused, or null when allowed. Not signed in → 401 (the admin layout sends
 * people to /login); signed in without any role on this site → 404, so a site's admin does not
 * even confirm to outsiders what exists; a member whose role is too low → 403.
 */
export function refusal(locals: PermissionContext, action: Action): AppError | null {
	if (can(locals, action)) return null;
	if (!locals.site) return new AppError('not_found', m.admin_error_not_found());
	if (!locals.user) return new AppError('unauthorized', m.admin_error_sign_in());
	if (!locals.role && !locals.isSuperAdmin) return new AppError('not_found', m.admin_error_not_found());
	return new AppError('forbidden', m.admin_error_role_too_low());
}

/** Route-side gate (loads): throw SvelteKit's error page unless allowed. Services use `allow()`. */
export function requirePermission(locals: PermissionContext, action: Action): void {
	const refused = refusal(locals, action);
	if (refused) error(refused.status, refused.message);
}

/** Roles a user may hand out: never above their own; owners and super admins may make owners. */
export function assignableRoles(locals: PermissionContext): Role[] {
	if (locals.isSuperAdmin || locals.role === 'owner') return ['owner', 'admin', 'editor'];
	if (locals.role === 'admin') return ['admin', 'editor'];
	return [];
}
