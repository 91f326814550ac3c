/**
 * Sites and their hostnames. Every other site-owned table points here with ON DELETE CASCADE,
 * so deleting a site removes all of its rows in one statement.
 */
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	foreignKey,
	primaryKey,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import type { Theme } from '../../../theme';

export const siteStatus = pgEnum('site_status', ['active', 'suspended']);

export const site = pgTable(
	'site',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		tagline: text('tagline').notNull().default(''),
		description: text('description').notNull().default(''),
		timezone: text('timezone').notNull().default('UTC'),
		/** The public site's language (src/lib/i18n.ts): its pages, feeds, calendar and dates. */
		locale: text('locale').notNull().default('en'),
		contactEmail: text('contact_email'),
		status: siteStatus('status').notNull().default('active'),
		// The only JSON column: checked by themeSchema (src/lib/theme.ts) on every write.
		theme: jsonb('theme')
			.$type<Theme>()
			.notNull()
			.default(sql`'{}'::jsonb`),
		logoAssetId: uuid('logo_asset_id'),
		backgroundAssetId: uuid('background_asset_id'),
		/** Opted in to the hub's "What's on" calendar (off by default): its public events are listed there. */
		hubListed: boolean('hub_listed').notNull().default(false),
		/** City or area the collective names for the hub calendar's place filter ('' = none). */
		hubCity: text('hub_city').notNull().default(''),
		/** Followable from the fediverse (on by default; off: the actor is gone, 410, fediverse/). */
		fediverseEnabled: boolean('fediverse_enabled').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		/** Soft delete: set by the super admin; the site stops resolving; purged after a grace period. */
		deletedAt: timestamp('deleted_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('site_slug_key').on(t.slug),
		// A site's logo/background must be one of *its own* assets: the composite key makes
		// pointing at another site's asset impossible, whatever the application code does.
		foreignKey({
			name: 'site_logo_asset_fk',
			columns: [t.id, t.logoAssetId],
			foreignColumns: [asset.siteId, asset.id]
		}),
		foreignKey({
			name: 'site_background_asset_fk',
			columns: [t.id, t.backgroundAssetId],
			foreignColumns: [asset.siteId, asset.id]
		}),
		index('site_name_search_idx').on(sql`lower(${t.name})`)
	]
);

export const siteDomain = pgTable(
	'site_domain',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references((): AnyPgColumn => site.id, { onDelete: 'cascade' }),
		hostname: text('hostname').notNull(),
		isPrimary: boolean('is_primary').notNull().default(false),
		verificationToken: text('verification_token').notNull(),
		verifiedAt: timestamp('verified_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		// The background re-check (jobs/domain-checks.ts): pending domains with backoff, verified daily.
		lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
		nextCheckAt: timestamp('next_check_at', { withTimezone: true })
			.notNull()
			.default(sql`now() + interval '1 minute'`),
		/** Failed checks in a row (the pending backoff grows with it). */
		checkFailures: integer('check_failures').notNull().default(0),
		/** Why the last check failed (shown to the site's admins), null after a success. */
		lastCheckError: text('last_check_error'),
		/** A verified domain whose DNS stopped pointing here: since when (still served for a grace period). */
		misconfiguredAt: timestamp('misconfigured_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('site_domain_hostname_key').on(t.hostname),
		// The re-check job's scan of due domains, across sites (platform work).
		index('site_domain_next_check_idx').on(t.nextCheckAt),
		index('site_domain_site_idx').on(t.siteId),
		// At most one primary hostname per site.
		uniqueIndex('site_domain_one_primary_idx')
			.on(t.siteId)
			.where(sql`${t.isPrimary}`)
	]
);

/**
 * A slug a site gave up: `<old_slug>.<PLATFORM_DOMAIN>` answers 301 to the site's primary host
 * until `expires_at`, or until another site takes the name (the row is then deleted).
 */
export const siteSlugRedirect = pgTable(
	'site_slug_redirect',
	{
		oldSlug: text('old_slug').primaryKey(),
		siteId: uuid('site_id')
			.notNull()
			.references((): AnyPgColumn => site.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('site_slug_redirect_site_idx').on(t.siteId)]
);

/**
 * Which sites a hostname was ever attached to. A platform table (no foreign key: the memory must
 * outlive a removed domain or a deleted site): a domain that served another site before must
 * prove control with a DNS TXT record, since the HTTP check only proves that DNS points here —
 * which it still does after the old site let the domain go (see services/domains.ts).
 */
export const domainHistory = pgTable(
	'domain_history',
	{
		hostname: text('hostname').notNull(),
		siteId: uuid('site_id').notNull(),
		firstAttachedAt: timestamp('first_attached_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.hostname, t.siteId] })]
);

// ---- Uploaded images (here beside `site`: each references the other) ----

/** Uploaded images. The row stores the object key base and widths; URLs are built at render time. */
export const assetKind = pgEnum('asset_kind', ['logo', 'background', 'event', 'page']);

export const asset = pgTable(
	'asset',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references((): AnyPgColumn => site.id, { onDelete: 'cascade' }),
		kind: assetKind('kind').notNull(),
		/** Object key without the width suffix: `sites/{slug}/{kind}/{id}`; a variant is `{cdnKey}-{width}.webp`. */
		cdnKey: text('cdn_key').notNull(),
		/** Widths of the stored WebP variants, largest first. */
		variants: integer('variants').array().notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		/** Total bytes of all stored variants. */
		bytes: bigint('bytes', { mode: 'number' }).notNull(),
		altText: text('alt_text').notNull().default(''),
		/** The point that must stay visible when the image is cut to a frame (CSS object-position), in % of width/height. */
		focalX: smallint('focal_x').notNull().default(50),
		focalY: smallint('focal_y').notNull().default(50),
		/**
		 * How the image is framed where it is shown (src/lib/image-frames.ts): an aspect preset that
		 * cuts it around the focal point, the whole image, or '' (the use's default).
		 */
		frame: text('frame').notNull().default(''),
		originalName: text('original_name').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// Target of the composite foreign keys that keep references inside one site.
		unique('asset_site_id_id_key').on(t.siteId, t.id),
		index('asset_site_created_idx').on(t.siteId, t.createdAt)
	]
);
