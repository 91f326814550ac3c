/** What visitors read: the home page, pages, events and links of a site. */
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { asset, site } from './sites';

const siteRef = () =>
	uuid('site_id')
		.notNull()
		.references(() => site.id, { onDelete: 'cascade' });

const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
};

/** One row per site: the homepage editor's content. */
export const home = pgTable('home', {
	siteId: uuid('site_id')
		.primaryKey()
		.references(() => site.id, { onDelete: 'cascade' }),
	heroTitle: text('hero_title').notNull().default(''),
	heroText: text('hero_text').notNull().default(''),
	/** Markdown, rendered through the sanitizer. */
	intro: text('intro').notNull().default(''),
	showEvents: boolean('show_events').notNull().default(true),
	showLinks: boolean('show_links').notNull().default(true),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const page = pgTable(
	'page',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		/** Markdown, rendered through the sanitizer. */
		body: text('body').notNull().default(''),
		published: boolean('published').notNull().default(false),
		showInNav: boolean('show_in_nav').notNull().default(false),
		navPosition: integer('nav_position').notNull().default(0),
		...timestamps
	},
	(t) => [uniqueIndex('page_site_slug_key').on(t.siteId, t.slug)]
);

export const eventStatus = pgEnum('event_status', ['draft', 'published', 'cancelled']);

export const event = pgTable(
	'event',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		/** Markdown, rendered through the sanitizer. */
		description: text('description').notNull().default(''),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }),
		/** All-day events: starts_at/ends_at are midnights in the site's timezone. */
		allDay: boolean('all_day').notNull().default(false),
		venueName: text('venue_name').notNull().default(''),
		venueAddress: text('venue_address').notNull().default(''),
		ticketUrl: text('ticket_url'),
		imageAssetId: uuid('image_asset_id'),
		status: eventStatus('status').notNull().default('draft'),
		...timestamps
	},
	(t) => [
		uniqueIndex('event_site_slug_key').on(t.siteId, t.slug),
		index('event_site_starts_idx').on(t.siteId, t.startsAt),
		// The image must belong to the same site (see asset_site_id_id_key).
		foreignKey({
			name: 'event_image_asset_fk',
			columns: [t.siteId, t.imageAssetId],
			foreignColumns: [asset.siteId, asset.id]
		}),
		check('event_ends_after_start', sql`${t.endsAt} is null or ${t.endsAt} >= ${t.startsAt}`)
	]
);

export const navLink = pgTable(
	'nav_link',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		label: text('label').notNull(),
		url: text('url').notNull(),
		position: integer('position').notNull().default(0),
		...timestamps
	},
	(t) => [index('nav_link_site_position_idx').on(t.siteId, t.position)]
);

export const socialLink = pgTable(
	'social_link',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		/** One of SOCIAL_PLATFORMS (src/lib/social.ts). */
		platform: text('platform').notNull(),
		url: text('url').notNull(),
		position: integer('position').notNull().default(0),
		...timestamps
	},
	(t) => [index('social_link_site_position_idx').on(t.siteId, t.position)]
);
