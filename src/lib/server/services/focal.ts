/**
 * Focal points: the point of an image that must stay visible when a card, a hero or a phone
 * screen cuts it (CSS object-position). Stored on the image (asset), in percent; event images are
 * set from the event editor (saveEvent), the background from the branding screen.
 */
import { z } from 'zod';
import { notFound } from '../errors';
import { parseInput, say } from '../input';
import { updateAssetFocal } from '../queries/assets';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { m } from '../../paraglide/messages';

const percent = z.coerce
	.number(say(m.site_admin_error_focal_number))
	.int(say(m.site_admin_error_focal_number))
	.min(0, say(m.site_admin_error_focal_number))
	.max(100, say(m.site_admin_error_focal_number));

/** `focalX`/`focalY` of a form, when both were sent (forms without the picker send neither). */
export const focalSchema = z.object({ focalX: percent.optional(), focalY: percent.optional() });

export function focalOf(input: unknown): { focalX: number; focalY: number } | null {
	const { focalX, focalY } = parseInput(focalSchema, input);
	return focalX === undefined || focalY === undefined ? null : { focalX, focalY };
}

/** Inside a save: set the focal point of one of the site's images (not found: another site's). */
export async function applyFocal(siteId: string, assetId: string, focal: { focalX: number; focalY: number }): Promise<void> {
	if (!(await updateAssetFocal(siteId, assetId, focal.focalX, focal.focalY))) throw notFound(m.site_admin_error_focal_not_in_library());
}

/** The branding screen: the background image's focal point. */
export async function setBackgroundFocus(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.branding');
	const focal = parseInput(z.object({ focalX: percent, focalY: percent }), input);
	const assetId = who.site.background?.id;
	if (!assetId) throw notFound(m.site_admin_error_no_background());
	await write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		await applyFocal(who.site.id, assetId, focal);
		await w.audit({ action: 'site.background_focus', targetType: 'asset', targetId: assetId });
		// The background is part of the cached site context (hosts).
		w.changed({ type: 'hosts', siteId: who.site.id, hosts: [] });
	});
}
