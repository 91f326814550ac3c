/** Asset rows (the objects themselves live in media storage; see media/). */
import { and, desc, eq, inArray, like, or, sql } from 'drizzle-orm';
import { isUuid } from '../ids';
import { db, type DbOrTx } from '../db';
import { asset, event, eventSeries, home, page, site } from '../db/schema';

export type AssetRow = typeof asset.$inferSelect;
export type AssetKind = AssetRow['kind'];
export type NewAsset = Omit<typeof asset.$inferInsert, 'siteId' | 'createdAt'>;

export async function listAssets(siteId: string, kind?: AssetKind): Promise<AssetRow[]> {
	return db()
		.select()
		.from(asset)
		.where(kind ? and(eq(asset.siteId, siteId), eq(asset.kind, kind)) : eq(asset.siteId, siteId))
		.orderBy(desc(asset.createdAt))
		.limit(1000);
}

export async function getAsset(siteId: string, assetId: string, tx: DbOrTx = db()): Promise<AssetRow | undefined> {
	if (!isUuid(assetId)) return undefined;
	const [row] = await tx
		.select()
		.from(asset)
		.where(and(eq(asset.siteId, siteId), eq(asset.id, assetId)));
	return row;
}

/** Several assets of one site at once (event images of a list); ids of other sites are simply absent. */
export async function getAssetsByIds(siteId: string, assetIds: string[]): Promise<AssetRow[]> {
	if (assetIds.length === 0) return [];
	return db()
		.select()
		.from(asset)
		.where(and(eq(asset.siteId, siteId), inArray(asset.id, [...new Set(assetIds)])));
}

export async function insertAsset(siteId: string, values: NewAsset, tx: DbOrTx = db()): Promise<AssetRow> {
	const [row] = await tx
		.insert(asset)
		.values({ ...values, siteId })
		.returning();
	return row!;
}

export async function updateAssetAlt(siteId: string, assetId: string, altText: string, tx: DbOrTx = db()) {
	if (!isUuid(assetId)) return undefined;
	const [row] = await tx
		.update(asset)
		.set({ altText })
		.where(and(eq(asset.siteId, siteId), eq(asset.id, assetId)))
		.returning();
	return row;
}

export async function deleteAssetRow(siteId: string, assetId: string, tx: DbOrTx = db()) {
	if (!isUuid(assetId)) return undefined;
	const [row] = await tx
		.delete(asset)
		.where(and(eq(asset.siteId, siteId), eq(asset.id, assetId)))
		.returning();
	return row;
}

export type AssetUse =
	| { type: 'logo' }
	| { type: 'background' }
	| { type: 'event'; id: string; title: string }
	| { type: 'page'; id: string; title: string }
	| { type: 'home' };

/**
 * Where a site uses an asset: as logo or background, as an event's image, or inside the Markdown
 * of a page, an event description or the home intro (image URLs there contain the asset id).
 */
export async function assetUses(siteId: string, assetId: string, tx: DbOrTx = db()): Promise<AssetUse[]> {
	if (!isUuid(assetId)) return [];
	const needle = `%${assetId.toLowerCase()}%`;
	const [siteRows, eventRows, pageRows, homeRows] = await Promise.all([
		tx
			.select({ logo: site.logoAssetId, background: site.backgroundAssetId })
			.from(site)
			.where(and(eq(site.id, siteId), or(eq(site.logoAssetId, assetId), eq(site.backgroundAssetId, assetId)))),
		tx
			.select({ id: event.id, title: event.title })
			.from(event)
			.where(and(eq(event.siteId, siteId), or(eq(event.imageAssetId, assetId), like(sql`lower(${event.description})`, needle))))
			.limit(20),
		tx
			.select({ id: page.id, title: page.title })
			.from(page)
			.where(and(eq(page.siteId, siteId), like(sql`lower(${page.body})`, needle)))
			.limit(20),
		tx
			.select({ siteId: home.siteId })
			.from(home)
			.where(and(eq(home.siteId, siteId), like(sql`lower(${home.intro})`, needle)))
	]);
	const uses: AssetUse[] = [];
	if (siteRows[0]?.logo === assetId) uses.push({ type: 'logo' });
	if (siteRows[0]?.background === assetId) uses.push({ type: 'background' });
	for (const e of eventRows) uses.push({ type: 'event', id: e.id, title: e.title });
	for (const p of pageRows) uses.push({ type: 'page', id: p.id, title: p.title });
	if (homeRows.length) uses.push({ type: 'home' });
	return uses;
}

/**
 * Set (or clear, with null) the site's logo or background. The asset must be one of the site's
 * own: the WHERE clause only finds it for this site, and the composite foreign key refuses any
 * other site's id even if this check were bypassed. Returns false when the asset is not found.
 */
export async function setSiteImage(
	siteId: string,
	slot: 'logo' | 'background',
	assetId: string | null,
	tx: DbOrTx = db()
): Promise<boolean> {
	if (assetId !== null && !(await getAsset(siteId, assetId, tx))) return false;
	const column = slot === 'logo' ? { logoAssetId: assetId } : { backgroundAssetId: assetId };
	const rows = await tx
		.update(site)
		.set({ ...column, updatedAt: new Date() })
		.where(eq(site.id, siteId))
		.returning({ id: site.id });
	return rows.length > 0;
}

/**
 * Maintenance only (sweep-orphans): remove a row whose objects are gone, clearing the references
 * the foreign keys would otherwise refuse (logo, background, event image). Markdown that still
 * names the image keeps a dead link, which is what it already was.
 */
export async function deleteAssetClearingUses(siteId: string, assetId: string, tx: DbOrTx = db()): Promise<AssetRow | undefined> {
	await tx
		.update(site)
		.set({ logoAssetId: null })
		.where(and(eq(site.id, siteId), eq(site.logoAssetId, assetId)));
	await tx
		.update(site)
		.set({ backgroundAssetId: null })
		.where(and(eq(site.id, siteId), eq(site.backgroundAssetId, assetId)));
	await tx
		.update(event)
		.set({ imageAssetId: null })
		.where(and(eq(event.siteId, siteId), eq(event.imageAssetId, assetId)));
	await tx
		.update(eventSeries)
		.set({ imageAssetId: null })
		.where(and(eq(eventSeries.siteId, siteId), eq(eventSeries.imageAssetId, assetId)));
	return deleteAssetRow(siteId, assetId, tx);
}

export interface AssetKeys {
	id: string;
	siteId: string;
	siteSlug: string;
	cdnKey: string;
	variants: number[];
	createdAt: Date;
}

/**
 * Maintenance only (sweep-orphans): every asset's keys across all sites. Always all of them: a
 * renamed site keeps its old keys, so a prefix can hold objects of a site now under another slug.
 */
export async function listAssetKeysForSweep(): Promise<AssetKeys[]> {
	return db()
		.select({
			id: asset.id,
			siteId: asset.siteId,
			siteSlug: site.slug,
			cdnKey: asset.cdnKey,
			variants: asset.variants,
			createdAt: asset.createdAt
		})
		.from(asset)
		.innerJoin(site, eq(site.id, asset.siteId));
}

/** The point of the image that must stay visible (percent of width and height), and its framing if given. */
export async function updateAssetFocal(siteId: string, assetId: string, focalX: number, focalY: number, frame?: string, tx: DbOrTx = db()) {
	if (!isUuid(assetId)) return undefined;
	const [row] = await tx
		.update(asset)
		.set({ focalX, focalY, ...(frame === undefined ? {} : { frame }) })
		.where(and(eq(asset.siteId, siteId), eq(asset.id, assetId)))
		.returning();
	return row;
}
