/**
 * Who acts. Every service takes an actor first and checks its permission before anything else:
 *
 * - `SiteActor`: a person (or nobody) on one site — the site comes from host resolution
 *   (`locals.site`), never from the client; role and super-admin flag from the session handle.
 * - `PlatformActor`: a super admin working on the hub panel.
 * - `AuditActor`: the name written in the audit trail (a person, or the system at sign-in / in jobs).
 */
import { notFound } from '../errors';
import { refusal, type Action } from '../auth/permissions';
import type { SiteContext } from '../hosts/site-context';
import type { Role } from '../queries/members';

export interface Person {
	id: string;
	name: string;
}

export interface SiteActor {
	readonly site: SiteContext;
	readonly user: Person | null;
	readonly role: Role | null;
	readonly isSuperAdmin: boolean;
}

/** An actor who passed a permission check: signed in, on this site. */
export interface AllowedActor extends SiteActor {
	readonly user: Person;
}

export interface PlatformActor {
	readonly user: Person;
	readonly isSuperAdmin: true;
}

export interface AuditActor {
	userId: string | null;
	name: string;
}

type LocalsLike = Pick<App.Locals, 'site' | 'user' | 'role' | 'isSuperAdmin'>;

/** The actor of a request on a site (a site's host, or /sites/<slug>/admin on the hub). */
export function siteActor(locals: LocalsLike): SiteActor {
	if (!locals.site) throw notFound();
	return {
		site: locals.site,
		user: locals.user ? { id: locals.user.id, name: locals.user.name } : null,
		role: locals.role,
		isSuperAdmin: locals.isSuperAdmin
	};
}

/** The actor if `action` is allowed, else AppError 401 / 403 / 404 (see auth/permissions.ts). */
export function allow(actor: SiteActor, action: Action): AllowedActor {
	const refused = refusal(actor, action);
	if (refused) throw refused;
	return actor as AllowedActor;
}

/** A super admin on the hub, else "not found" (the panel does not exist for anyone else). */
export function platformActor(locals: Pick<App.Locals, 'isHub' | 'user' | 'isSuperAdmin'>): PlatformActor {
	if (!locals.isHub || !locals.user || !locals.isSuperAdmin) throw notFound();
	return { user: { id: locals.user.id, name: locals.user.name }, isSuperAdmin: true };
}

export const auditActor = (actor: { user: Person | null }): AuditActor => ({
	userId: actor.user?.id ?? null,
	name: actor.user?.name ?? 'unknown'
});

/** The actor of the system's own writes (jobs, sign-in effects) for the audit trail. */
export const systemActor = (person?: Person): AuditActor =>
	person ? { userId: person.id, name: person.name } : { userId: null, name: 'system' };
