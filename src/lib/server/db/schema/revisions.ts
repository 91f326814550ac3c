/**
 * Saved versions and autosaved drafts of what organisers write (pages, events, the homepage).
 * Both are site-owned (row-level security like every other site table, migration of this file).
 */
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { site } from './sites';

/**
 * One saved version: a snapshot of the content fields as they were stored by a save (or a
 * restore). Kept: the last REVISIONS_KEPT per (site, target) — see services/revisions.ts.
 */
export const revision = pgTable(
	'revision',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references(() => site.id, { onDelete: 'cascade' }),
		/** 'page' | 'event' | 'series' | 'home'. */
		targetType: text('target_type').notNull(),
		/** The page's, event's or series' id; the site's id for the homepage. */
		targetId: uuid('target_id').notNull(),
		/** The title at that time (the homepage: its headline). */
		title: text('title').notNull().default(''),
		/** The stored content fields, by name (see services/revisions.ts for each kind's fields). */
		data: jsonb('data').$type<Record<string, unknown>>().notNull(),
		/** Who saved it (the name is kept when the account goes away). */
		authorId: text('author_id'),
		authorName: text('author_name').notNull().default(''),
		/** The revision this one brought back ("restore this version"), if it was a restore. */
		restoredFrom: uuid('restored_from'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('revision_site_target_idx').on(t.siteId, t.targetType, t.targetId, t.createdAt)]
);

/**
 * What one person is editing and has not saved yet: the editor form's fields, autosaved every
 * few seconds. One row per (site, user, key); the key names the editor (`page:new`,
 * `page:<id>`, `event:new`, `event:<id>`, `series:<id>`, `home`). Deleted when the real save happens.
 */
export const draft = pgTable(
	'draft',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		siteId: uuid('site_id')
			.notNull()
			.references(() => site.id, { onDelete: 'cascade' }),
		userId: text('user_id').notNull(),
		key: text('key').notNull(),
		/** Field name → value (repeated fields: arrays), as the form had them. */
		data: jsonb('data').$type<Record<string, string | string[]>>().notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('draft_site_user_key').on(t.siteId, t.userId, t.key)]
);
