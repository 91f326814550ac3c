/**
 * Deleting an image. An image still in use is NOT deleted: the editor gets a message naming the
 * uses ("the site logo", "the event “Movie night”") and removes them first. Silently clearing a
 * logo or an event picture would change public pages as a side effect of tidying the library.
 *
 * Order: the row goes first (in a transaction that also checks the uses), the objects after the
 * commit. If deleting the objects fails they are orphans without a row, invisible to visitors,
 * and sweep-orphans removes them; the other order could leave a row pointing at nothing.
 */
import { AppError, isForeignKeyViolation, notFound } from '../errors';
import { log } from '../log';
import { assetUses, deleteAssetRow, getAsset, type AssetRow, type AssetUse } from '../queries/assets';
import type { Actor } from '../queries/audit';
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import { variantKeys } from './keys';
import { mediaStorage } from './storage';
import { m } from '../../paraglide/messages';
import { getLocale } from '../../paraglide/runtime';
import { intlLocale } from '../../i18n';
import { andList } from '../../weekdays';

function describeUse(use: AssetUse): string {
	switch (use.type) {
		case 'logo':
			return m.site_admin_media_use_logo();
		case 'background':
			return m.site_admin_media_use_background();
		case 'home':
			return m.site_admin_media_use_home();
		case 'event':
			return m.site_admin_media_use_event({ title: use.title });
		case 'page':
			return m.site_admin_media_use_page({ title: use.title });
	}
}

/** "the site logo, the event “A” and the page “B”" */
export function describeUses(uses: AssetUse[]): string {
	// Intl's list in the request's language ("A, B and C", „A, B und C“).
	return andList(uses.map(describeUse), intlLocale(getLocale(), 'UTC'));
}

export function inUseError(uses: AssetUse[]): AppError {
	if (!uses.length) return new AppError('conflict', m.site_admin_media_in_use());
	return new AppError('conflict', m.site_admin_media_used_by({ uses: describeUses(uses) }));
}

/**
 * Delete one of the site's images: its row, then its objects. Another site's asset id is
 * "not found" and changes nothing. Throws AppError 409 naming the uses when the image is in use.
 */
export async function deleteAsset(siteId: string, assetId: string, options: { actor?: Actor } = {}): Promise<AssetRow> {
	let row: AssetRow;
	try {
		row = await write({ siteId, actor: options.actor ?? systemActor() }, async (w) => {
			const found = await getAsset(siteId, assetId);
			if (!found) throw notFound(m.site_admin_media_gone());
			const uses = await assetUses(siteId, assetId);
			if (uses.length) throw inUseError(uses);
			await deleteAssetRow(siteId, assetId);
			await w.audit({ action: 'asset.delete', targetType: 'asset', targetId: found.id, target: found.originalName });
			return found;
		});
	} catch (error) {
		// Attached between our check and the delete: the foreign key refuses, say why.
		if (isForeignKeyViolation(error)) throw inUseError(await assetUses(siteId, assetId));
		throw error;
	}
	try {
		await mediaStorage().delete(variantKeys(row));
	} catch (error) {
		log.error('asset row deleted but its objects were not; sweep-orphans will remove them', { assetId, error });
	}
	return row;
}
