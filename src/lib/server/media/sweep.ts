/**
 * Find (and optionally remove) what the pipeline's clean-up could not: objects without a row
 * (a delete or a failed upload whose object deletion failed, a deleted site) and rows without
 * their objects (objects removed by hand, a bucket restored from an older copy).
 *
 * Races with live uploads: rows are read before objects are listed, and objects younger than
 * `minAgeMs` are never called orphans, because an upload writes its objects before its row.
 */
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import { deleteAssetClearingUses, listAssetKeysForSweep, type AssetKeys } from '../queries/assets';
import { listAllSites } from '../queries/sites';
import { variantKeys } from './keys';
import { mediaStorage, type MediaStorage, type StoredObject } from './storage';
import type { LocalStorage } from './local';

export interface MissingObjects {
	assetId: string;
	siteId: string;
	cdnKey: string;
	missing: string[];
}

export interface SiteSweep {
	/** Slug named in the keys (for rows: the site's current slug). */
	slug: string;
	/** Null when no site has this slug any more. */
	siteId: string | null;
	objectsWithoutRows: StoredObject[];
	rowsWithoutObjects: MissingObjects[];
}

export interface SweepReport {
	sites: SiteSweep[];
	/** Objects without rows not counted because they are younger than minAgeMs. */
	tooYoung: number;
	/** Local driver: stale temporary files from interrupted writes. */
	staleTempFiles: number;
	removedObjects: number;
	removedRows: number;
}

export interface SweepOptions {
	storage?: MediaStorage;
	/** Only this site (by current slug); default every site. */
	site?: string;
	remove?: boolean;
	/** With `remove`: delete orphaned objects, but only report rows without objects (the hourly job). */
	keepRows?: boolean;
	minAgeMs?: number;
	now?: Date;
}

const slugOfKey = (key: string) => key.split('/')[1] ?? '';
const prefixOfKey = (key: string) => `sites/${slugOfKey(key)}/`;

function isLocal(storage: MediaStorage): storage is LocalStorage {
	return storage.driver === 'local' && 'sweepTemp' in storage;
}

export async function sweepOrphans(options: SweepOptions = {}): Promise<SweepReport> {
	const storage = options.storage ?? mediaStorage();
	const now = options.now ?? new Date();
	const cutoff = new Date(now.getTime() - (options.minAgeMs ?? 3_600_000));

	// Rows first (see above). All rows, even for one site: a renamed site keeps keys under its old slug.
	const rows = await listAssetKeysForSweep();
	const expected = new Map<string, AssetKeys>();
	for (const row of rows) for (const key of variantKeys(row)) expected.set(key, row);
	const inScope = (row: AssetKeys) => !options.site || row.siteSlug === options.site;

	const prefixes = new Set<string>();
	if (options.site) {
		prefixes.add(`sites/${options.site}/`);
		for (const row of rows) if (inScope(row)) prefixes.add(prefixOfKey(row.cdnKey));
	} else prefixes.add('sites/');

	const objects = new Map<string, StoredObject>();
	for (const prefix of prefixes) for await (const o of storage.list(prefix)) objects.set(o.key, o);

	const sites = new Map<string, SiteSweep>();
	const siteIdBySlug = new Map((await listAllSites(100_000)).map((s) => [s.slug, s.id] as const));
	const entry = (slug: string, siteId: string | null) => {
		let e = sites.get(slug);
		if (!e) sites.set(slug, (e = { slug, siteId, objectsWithoutRows: [], rowsWithoutObjects: [] }));
		return e;
	};

	let tooYoung = 0;
	for (const o of objects.values()) {
		if (expected.has(o.key)) continue;
		if (o.lastModified > cutoff) {
			tooYoung++;
			continue;
		}
		const slug = slugOfKey(o.key);
		entry(slug, siteIdBySlug.get(slug) ?? null).objectsWithoutRows.push(o);
	}
	for (const row of rows) {
		if (!inScope(row)) continue;
		const missing = variantKeys(row).filter((k) => !objects.has(k));
		if (missing.length)
			entry(row.siteSlug, row.siteId).rowsWithoutObjects.push({ assetId: row.id, siteId: row.siteId, cdnKey: row.cdnKey, missing });
	}

	const staleTempFiles = isLocal(storage) ? await storage.sweepTemp(cutoff, !!options.remove) : 0;
	const report: SweepReport = { sites: [...sites.values()], tooYoung, staleTempFiles, removedObjects: 0, removedRows: 0 };
	if (!options.remove) return report;

	for (const site of report.sites) {
		const orphanKeys = site.objectsWithoutRows.map((o) => o.key);
		if (orphanKeys.length) {
			await storage.delete(orphanKeys);
			report.removedObjects += orphanKeys.length;
		}
		for (const m of options.keepRows ? [] : site.rowsWithoutObjects) {
			const removed = await write({ siteId: m.siteId, actor: systemActor() }, async (w) => {
				const row = await deleteAssetClearingUses(m.siteId, m.assetId);
				if (row) {
					await w.audit({ action: 'asset.sweep', targetType: 'asset', targetId: row.id });
					// The logo and background are part of the cached site context.
					w.changed({ type: 'hosts', siteId: m.siteId, hosts: [] });
				}
				return row;
			});
			if (!removed) continue;
			report.removedRows++;
			// The variants that were still there would be orphans now.
			const leftovers = variantKeys(removed).filter((k) => objects.has(k));
			if (leftovers.length) {
				await storage.delete(leftovers);
				report.removedObjects += leftovers.length;
			}
		}
	}
	return report;
}
