/** Uploaded images. The row stores the object key base and widths; URLs are built at render time. */
import { bigint, index, integer, pgEnum, pgTable, text, timestamp, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { site } from './sites';

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
		originalName: text('original_name').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// Target of the composite foreign keys that keep references inside one site.
		unique('asset_site_id_id_key').on(t.siteId, t.id),
		index('asset_site_created_idx').on(t.siteId, t.createdAt)
	]
);
