/**
 * Using an image somewhere: form actions receive an asset id from the browser, so it is checked
 * against the site's own library first. Another site's id gets the same answer as an id that
 * does not exist, so a site cannot even learn that it exists. (The composite foreign keys refuse
 * a foreign id at the database too; this check turns that into a message for the form.)
 */
import { AppError } from '../errors';
import { m } from '../../paraglide/messages';
import { getAsset, setSiteImage, type AssetKind, type AssetRow } from '../queries/assets';
import type { Actor } from '../queries/audit';
import { write } from '../services/write';

export const notInLibrary = () => new AppError('unprocessable', m.site_admin_media_not_in_library());

/** The site's asset with this id (optionally of given kinds), or AppError 422 for the form field. */
export async function requireSiteAsset(siteId: string, assetId: string, kinds?: readonly AssetKind[]): Promise<AssetRow> {
	const row = await getAsset(siteId, assetId);
	if (!row || (kinds && !kinds.includes(row.kind))) throw notInLibrary();
	return row;
}

/** Set or clear (null) the site's logo or background from a form value. */
export async function attachSiteImage(siteId: string, slot: 'logo' | 'background', assetId: string | null, actor: Actor): Promise<void> {
	await write({ siteId, actor }, async (w) => {
		if (!(await setSiteImage(siteId, slot, assetId))) throw notInLibrary();
		await w.audit({ action: `site.${slot}`, targetType: 'asset', targetId: assetId });
		// The logo and background are part of the cached site context (hosts).
		w.changed({ type: 'hosts', siteId, hosts: [] });
	});
}
