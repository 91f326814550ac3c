/** Asset rows (the objects themselves live in media storage; see media/). */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { db, type DbOrTx } from '../db';
import { asset } from '../db/schema';

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

export async function getAsset(siteId: string, assetId: string): Promise<AssetRow | undefined> {
	const [row] = await db()
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
	const [row] = await tx
		.update(asset)
		.set({ altText })
		.where(and(eq(asset.siteId, siteId), eq(asset.id, assetId)))
		.returning();
	return row;
}

export async function deleteAssetRow(siteId: string, assetId: string, tx: DbOrTx = db()) {
	const [row] = await tx
		.delete(asset)
		.where(and(eq(asset.siteId, siteId), eq(asset.id, assetId)))
		.returning();
	return row;
}
