/**
 * Focal points: the point of an image that must stay visible when a card, a hero or a phone
 * screen cuts it (CSS object-position). Stored on the image (asset), in percent; event images are
 * set from the event editor (saveEvent), the background from the branding screen. Beside it, the
 * image's framing (src/lib/image-frames.ts: an aspect preset or the whole image), per use.
 */
import { z } from 'zod';
import { notFound } from '../errors';
import { parseInput, say } from '../input';
import { updateAssetFocal } from '../queries/assets';
import { allow, auditActor, type SiteActor } from './actor';
import { BACKGROUND_FRAMES, EVENT_FRAMES } from '../../image-frames';
import { write } from './write';
import { m } from '../../paraglide/messages';

const percent = z.coerce
	.number(say(m.site_admin_error_focal_number))
	.int(say(m.site_admin_error_focal_number))
	.min(0, say(m.site_admin_error_focal_number))
	.max(100, say(m.site_admin_error_focal_number));

const frameOf = (frames: readonly string[]) => z.enum(frames as [string, ...string[]], say(m.site_admin_error_choose_shape)).optional();

/** `focalX`/`focalY` (and `frame`) of a form, when both were sent (forms without the picker send neither). */
export const focalSchema = z.object({ focalX: percent.optional(), focalY: percent.optional(), frame: frameOf(EVENT_FRAMES) });

export interface Focal {
	focalX: number;
	focalY: number;
	/** Absent: the form did not send it (kept as it is). */
	frame?: string;
}

/** The event editor's picker (an event image's frames). */
export function focalOf(input: unknown): Focal | null {
	const { focalX, focalY, frame } = parseInput(focalSchema, input);
	return focalX === undefined || focalY === undefined ? null : { focalX, focalY, ...(frame === undefined ? {} : { frame }) };
}

/** Inside a save: set the focal point (and framing) of one of the site's images (not found: another site's). */
export async function applyFocal(siteId: string, assetId: string, focal: Focal): Promise<void> {
	if (!(await updateAssetFocal(siteId, assetId, focal.focalX, focal.focalY, focal.frame)))
		throw notFound(m.site_admin_error_focal_not_in_library());
}

/** The branding screen: the background image's focal point. */
export async function setBackgroundFocus(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.branding');
	const focal = parseInput(z.object({ focalX: percent, focalY: percent, frame: frameOf(BACKGROUND_FRAMES) }), input);
	const assetId = who.site.background?.id;
	if (!assetId) throw notFound(m.site_admin_error_no_background());
	await write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		await applyFocal(who.site.id, assetId, focal);
		await w.audit({ action: 'site.background_focus', targetType: 'asset', targetId: assetId });
		// The background is part of the cached site context (hosts).
		w.changed({ type: 'hosts', siteId: who.site.id, hosts: [] });
	});
}
