/**
 * What the rest of the app knows about the site a request is for (`event.locals.site`). Loaded
 * once by the resolver (with its logo/background and primary host) and cached per host, so a
 * public page can render without asking the database who it belongs to.
 */
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { db } from '../db';
import { asset, site, siteDomain } from '../db/schema';
import { readTheme, type Theme } from '../../theme';
import { baseLocale, isLocale, type Locale } from '../../i18n';

export interface ImageRef {
	id: string;
	cdnKey: string;
	variants: number[];
	width: number;
	height: number;
	altText: string;
	focalX: number;
	focalY: number;
	frame: string;
}

export interface SiteContext {
	id: string;
	slug: string;
	name: string;
	tagline: string;
	description: string;
	timezone: string;
	/** The public site's language. */
	locale: Locale;
	contactEmail: string | null;
	status: 'active' | 'suspended';
	theme: Theme;
	logo: ImageRef | null;
	background: ImageRef | null;
	/** Hostname visitors should use: the verified primary custom domain, else `<slug>.<PLATFORM_DOMAIN>`. */
	primaryHost: string;
	/** Listed in the hub's "What's on" calendar, and under which city. */
	hubListed: boolean;
	hubCity: string;
	/** The site's own switch; federation also needs FEDERATION_KEY (fediverse/federation.ts). */
	fediverseEnabled: boolean;
	updatedAt: Date;
}

const logo = alias(asset, 'logo');
const background = alias(asset, 'background');
const primary = alias(siteDomain, 'primary_domain');

/**
 * What a SiteContext is built from, for queries that find the site their own way (the host
 * resolver): select these columns and add these joins. The primary host must be verified, or a
 * redirect would point at a name that does not resolve.
 */
export const siteContextColumns = { site, logo, background, primaryHost: primary.hostname };
export const siteContextJoins = {
	logo: [logo, and(eq(logo.id, site.logoAssetId), eq(logo.siteId, site.id))],
	background: [background, and(eq(background.id, site.backgroundAssetId), eq(background.siteId, site.id))],
	primary: [primary, and(eq(primary.siteId, site.id), eq(primary.isPrimary, true), isNotNull(primary.verifiedAt))]
} as const;

function imageRef(a: typeof asset.$inferSelect | null): ImageRef | null {
	if (!a) return null;
	return {
		id: a.id,
		cdnKey: a.cdnKey,
		variants: a.variants,
		width: a.width,
		height: a.height,
		altText: a.altText,
		focalX: a.focalX,
		focalY: a.focalY,
		frame: a.frame
	};
}

/** Load one live site (not soft-deleted) by id, in one query (requests go through the resolver's cache). */
export async function loadSiteContext(siteId: string, platformDomain: string): Promise<SiteContext | null> {
	const [row] = await db()
		.select(siteContextColumns)
		.from(site)
		.leftJoin(...siteContextJoins.logo)
		.leftJoin(...siteContextJoins.background)
		.leftJoin(...siteContextJoins.primary)
		.where(and(eq(site.id, siteId), isNull(site.deletedAt)))
		.limit(1);
	if (!row) return null;
	return toSiteContext(row, platformDomain);
}

export function toSiteContext(
	row: {
		site: typeof site.$inferSelect;
		logo: typeof asset.$inferSelect | null;
		background: typeof asset.$inferSelect | null;
		primaryHost: string | null;
	},
	platformDomain: string
): SiteContext {
	const s = row.site;
	return {
		id: s.id,
		slug: s.slug,
		name: s.name,
		tagline: s.tagline,
		description: s.description,
		timezone: s.timezone,
		locale: isLocale(s.locale) ? s.locale : baseLocale,
		contactEmail: s.contactEmail,
		status: s.status,
		theme: readTheme(s.theme),
		logo: imageRef(row.logo),
		background: imageRef(row.background),
		primaryHost: row.primaryHost ?? `${s.slug}.${platformDomain}`,
		hubListed: s.hubListed,
		hubCity: s.hubCity,
		fediverseEnabled: s.fediverseEnabled,
		updatedAt: s.updatedAt
	};
}
