/** What visitors read: the home page, pages, events and links of a site. */
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	doublePrecision,
	foreignKey,
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { asset, site } from './sites';

const siteRef = () =>
	uuid('site_id')
		.notNull()
		.references(() => site.id, { onDelete: 'cascade' });

const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
};

/**
 * The Markdown beside it rendered and sanitized at write time (server/rich-text.ts), so a page
 * render never runs Markdown or the sanitizer. `render_version` is the renderer's version that
 * wrote the HTML: 0 (every writer that changes the Markdown without rendering it sets it) or an
 * older version means stale — readers render on the fly and the rich-text job re-renders the row.
 */
const rendered = (htmlColumn: string) => ({
	html: text(htmlColumn).notNull().default(''),
	renderVersion: integer('render_version').notNull().default(0)
});

/** One row per site: the homepage editor's content. */
export const home = pgTable('home', {
	siteId: uuid('site_id')
		.primaryKey()
		.references(() => site.id, { onDelete: 'cascade' }),
	heroTitle: text('hero_title').notNull().default(''),
	heroText: text('hero_text').notNull().default(''),
	/** Markdown, rendered through the sanitizer. */
	intro: text('intro').notNull().default(''),
	...rendered('intro_html'),
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
		...rendered('body_html'),
		published: boolean('published').notNull().default(false),
		/** A draft to be published at this instant by the jobs worker (services/scheduled-publishing.ts). */
		publishAt: timestamp('publish_at', { withTimezone: true }),
		showInNav: boolean('show_in_nav').notNull().default(false),
		navPosition: integer('nav_position').notNull().default(0),
		...timestamps
	},
	(t) => [
		uniqueIndex('page_site_slug_key').on(t.siteId, t.slug),
		// The scheduled-publishing job looks across sites for due drafts: only scheduled rows are indexed.
		index('page_publish_at_idx')
			.on(t.publishAt)
			.where(sql`${t.publishAt} is not null`)
	]
);

/** A venue a site reuses: events pick it instead of typing the address again. Public at /places/<slug>. */
export const place = pgTable(
	'place',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		address: text('address').notNull().default(''),
		/** WGS 84 degrees, both or neither (an OpenStreetMap link, never map tiles). */
		latitude: doublePrecision('latitude'),
		longitude: doublePrecision('longitude'),
		/** Step-free access, toilets, quiet room… shown on every event held there. */
		accessibility: text('accessibility').notNull().default(''),
		url: text('url'),
		...timestamps
	},
	(t) => [
		uniqueIndex('place_site_slug_key').on(t.siteId, t.slug),
		unique('place_site_id_id_key').on(t.siteId, t.id),
		check('place_coordinates', sql`(${t.latitude} is null) = (${t.longitude} is null)`)
	]
);

/** A site's own small vocabulary of event kinds (screening, workshop…), optionally coloured. */
export const tag = pgTable(
	'tag',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		/** '#rrggbb' or null (the theme's accent); the text colour is chosen for contrast. */
		color: text('color'),
		...timestamps
	},
	(t) => [uniqueIndex('tag_site_slug_key').on(t.siteId, t.slug), unique('tag_site_id_id_key').on(t.siteId, t.id)]
);

export const eventStatus = pgEnum('event_status', ['draft', 'published', 'cancelled']);

export const seriesStatus = pgEnum('event_series_status', ['draft', 'published']);

/**
 * A recurring event: an RFC 5545 RRULE over wall-clock dates in the site's timezone, and the
 * template its occurrences are made from. Occurrences are `event` rows (series_id, occurrence_date)
 * materialised up to `materialised_until`, so every list, page, feed and cache reads plain rows.
 */
export const eventSeries = pgTable(
	'event_series',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		/** /events/<slug>/<yyyy-mm-dd> are its occurrences; shares the namespace with event slugs. */
		slug: text('slug').notNull(),
		/** RRULE value without DTSTART (e.g. `FREQ=MONTHLY;BYDAY=2FR`), over floating local times. */
		rrule: text('rrule').notNull(),
		/** DTSTART's date in the site's timezone: the first occurrence (if the rule matches it). */
		firstDate: date('first_date', { mode: 'string' }).notNull(),
		allDay: boolean('all_day').notNull().default(false),
		/** Wall times 'HH:MM' (null for all-day; end null: no end time). */
		startTime: text('start_time'),
		endTime: text('end_time'),
		/** The end falls this many days after the start's date (all-day: the last day's offset). */
		endDayOffset: integer('end_day_offset').notNull().default(0),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		venueName: text('venue_name').notNull().default(''),
		venueAddress: text('venue_address').notNull().default(''),
		ticketUrl: text('ticket_url'),
		/** Online link (null: held in person only), shown from `online_reveal_minutes` before the start (null: always). */
		onlineUrl: text('online_url'),
		onlineRevealMinutes: integer('online_reveal_minutes'),
		placeId: uuid('place_id'),
		imageAssetId: uuid('image_asset_id'),
		status: seriesStatus('status').notNull().default('draft'),
		/** Occurrences exist for every matching date up to this one (local date, inclusive). */
		materialisedUntil: date('materialised_until', { mode: 'string' }).notNull(),
		...timestamps
	},
	(t) => [
		uniqueIndex('event_series_site_slug_key').on(t.siteId, t.slug),
		unique('event_series_site_id_id_key').on(t.siteId, t.id),
		index('event_series_site_horizon_idx').on(t.siteId, t.materialisedUntil),
		foreignKey({
			name: 'event_series_image_asset_fk',
			columns: [t.siteId, t.imageAssetId],
			foreignColumns: [asset.siteId, asset.id]
		}),
		foreignKey({ name: 'event_series_place_fk', columns: [t.siteId, t.placeId], foreignColumns: [place.siteId, place.id] })
	]
);

export const event = pgTable(
	'event',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		slug: text('slug').notNull(),
		title: text('title').notNull(),
		/** Markdown, rendered through the sanitizer. */
		description: text('description').notNull().default(''),
		...rendered('description_html'),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }),
		/** All-day events: starts_at/ends_at are midnights in the site's timezone. */
		allDay: boolean('all_day').notNull().default(false),
		venueName: text('venue_name').notNull().default(''),
		venueAddress: text('venue_address').notNull().default(''),
		ticketUrl: text('ticket_url'),
		/** Online link (null: held in person only), shown from `online_reveal_minutes` before the start (null: always). */
		onlineUrl: text('online_url'),
		onlineRevealMinutes: integer('online_reveal_minutes'),
		placeId: uuid('place_id'),
		imageAssetId: uuid('image_asset_id'),
		status: eventStatus('status').notNull().default('draft'),
		/** A draft to be published at this instant by the jobs worker (services/scheduled-publishing.ts). */
		publishAt: timestamp('publish_at', { withTimezone: true }),
		/** An occurrence of a series (null: a one-off event). */
		seriesId: uuid('series_id'),
		/** The series date this row stands for (its RECURRENCE-ID), even when it was moved. */
		occurrenceDate: date('occurrence_date', { mode: 'string' }),
		/** Changed on its own: series edits no longer overwrite its content or times. */
		detached: boolean('detached').notNull().default(false),
		...timestamps
	},
	(t) => [
		uniqueIndex('event_site_slug_key').on(t.siteId, t.slug),
		unique('event_site_id_id_key').on(t.siteId, t.id),
		// A place of the same site; the places service clears it from events before deleting one.
		foreignKey({ name: 'event_place_fk', columns: [t.siteId, t.placeId], foreignColumns: [place.siteId, place.id] }),
		index('event_site_place_idx').on(t.siteId, t.placeId),
		uniqueIndex('event_site_series_date_key').on(t.siteId, t.seriesId, t.occurrenceDate),
		// The series must belong to the same site; deleting it deletes its occurrences.
		foreignKey({
			name: 'event_series_fk',
			columns: [t.siteId, t.seriesId],
			foreignColumns: [eventSeries.siteId, eventSeries.id]
		}).onDelete('cascade'),
		index('event_site_starts_idx').on(t.siteId, t.startsAt),
		index('event_publish_at_idx')
			.on(t.publishAt)
			.where(sql`${t.publishAt} is not null`),
		// The image must belong to the same site (see asset_site_id_id_key).
		foreignKey({
			name: 'event_image_asset_fk',
			columns: [t.siteId, t.imageAssetId],
			foreignColumns: [asset.siteId, asset.id]
		}),
		check('event_ends_after_start', sql`${t.endsAt} is null or ${t.endsAt} >= ${t.startsAt}`)
	]
);

/**
 * Tags of a one-off event or of a series (exactly one of the two): a series' dates carry its
 * tags, so one row tags every date and a split or an extension needs no copying.
 */
export const eventTag = pgTable(
	'event_tag',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: siteRef(),
		tagId: uuid('tag_id').notNull(),
		eventId: uuid('event_id'),
		seriesId: uuid('series_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		foreignKey({ name: 'event_tag_tag_fk', columns: [t.siteId, t.tagId], foreignColumns: [tag.siteId, tag.id] }).onDelete('cascade'),
		foreignKey({ name: 'event_tag_event_fk', columns: [t.siteId, t.eventId], foreignColumns: [event.siteId, event.id] }).onDelete(
			'cascade'
		),
		foreignKey({
			name: 'event_tag_series_fk',
			columns: [t.siteId, t.seriesId],
			foreignColumns: [eventSeries.siteId, eventSeries.id]
		}).onDelete('cascade'),
		uniqueIndex('event_tag_event_key').on(t.siteId, t.eventId, t.tagId),
		uniqueIndex('event_tag_series_key').on(t.siteId, t.seriesId, t.tagId),
		index('event_tag_site_tag_idx').on(t.siteId, t.tagId),
		check('event_tag_one_target', sql`(${t.eventId} is null) <> (${t.seriesId} is null)`)
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
