import type { SiteContext } from '$lib/server/sites/site-context';

declare global {
	namespace App {
		interface Locals {
			/** Normalized request host (see parseHost); set once by the resolveSite handle. */
			host: string;
			/** The site this request is for; null on the hub. Code below the hook never reads the Host header. */
			site: SiteContext | null;
			/** True on PLATFORM_DOMAIN (landing page, super-admin panel, sign-in callback). */
			isHub: boolean;
			/** Set by handleError when the database was unreachable, so the response becomes a 503. */
			databaseDown?: boolean;
		}
		interface Error {
			message: string;
			/** Reference to find the logged details. */
			id?: string;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
