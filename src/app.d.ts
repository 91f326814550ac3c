import type { SiteContext } from '$lib/server/hosts/site-context';
import type { Role } from '$lib/server/queries/members';
import type { AppError } from '$lib/server/errors';
import type { WhatsOnDependencies } from '$lib/server/hub/whats-on';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			/** Normalized request host (see parseHost); set once by the resolveSite handle. */
			host: string;
			/** The site this request is for; null on the hub. Code below the hook never reads the Host header. */
			site: SiteContext | null;
			/** Set by resolveSite on a non-primary host of the site whose former fediverse actor this request is for (fediverse/move.ts). */
			formerActorHost?: string | null;
			/** True on PLATFORM_DOMAIN (landing page, super-admin panel, sign-in callback). */
			isHub: boolean;
			/** Signed-in user (session valid and issued for this very host), else null. */
			/** `locale`: the admin language they chose (null: not chosen, Accept-Language guesses). */
			user: { id: string; name: string; image: string | null; discordId: string | null; locale: Locale | null } | null;
			/** Session id, when signed in. */
			sessionId: string | null;
			/** The user's role on `site` (null: none, or no site). */
			role: Role | null;
			/** Discord id listed in SUPER_ADMIN_DISCORD_IDS, checked on every request. */
			isSuperAdmin: boolean;
			/** The language the response was rendered in (set by the `language` handle when the page is done), for the plain pages answered after it. */
			locale?: Locale;
			/** Set by handleError when the database was unreachable, so the response becomes a 503. */
			databaseDown?: boolean;
			/** Set by handleError for an AppError that escaped a load, so the response gets its status (hooks.server.ts). */
			appError?: AppError;
			/** Set by the hub calendar's routes: what the answer depends on, for its cache (hub/whats-on-cache.ts). */
			whatsOn?: WhatsOnDependencies;
		}
		interface Error {
			message: string;
			/** Reference to find the logged details. */
			id?: string;
			/** Signed in without a role on this site: the error page shows "no access" with a sign-out button. */
			noAccess?: { siteName: string; userName: string; style: string };
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
