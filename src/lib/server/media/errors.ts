/**
 * Every way an upload can be refused, as AppErrors whose message can be shown next to the form
 * field as it is. Statuses: 413 too big, 415 not an accepted image, 422 broken image, 503 when
 * the server (not the file) is the problem.
 */
import { AppError } from '../errors';
import { m } from '../../paraglide/messages';

/** Texts are made when the error is, in the language of the request (server/i18n.ts). */
const mb = (bytes: number) => {
	const n = bytes / (1024 * 1024);
	return Number.isInteger(n) ? String(n) : n.toFixed(1);
};
const mp = (pixels: number) => String(Math.round((pixels / 1_000_000) * 10) / 10);

export const uploadErrors = {
	missing: () => new AppError('bad_request', m.site_admin_media_missing()),
	empty: () => new AppError('unprocessable', m.site_admin_media_empty()),
	tooManyBytes: (max: number) => new AppError('payload_too_large', m.site_admin_media_too_many_bytes({ size: mb(max) })),
	tooManyPixels: (max: number) => new AppError('payload_too_large', m.site_admin_media_too_many_pixels({ size: mp(max) })),
	notAnImage: () => new AppError('unsupported_media_type', m.site_admin_media_not_image()),
	svg: () => new AppError('unsupported_media_type', m.site_admin_media_svg()),
	heic: () => new AppError('unsupported_media_type', m.site_admin_media_heic()),
	otherFormat: () => new AppError('unsupported_media_type', m.site_admin_media_other_format()),
	broken: (detail?: unknown) => new AppError('unprocessable', m.site_admin_media_broken(), detail),
	altTooLong: (max: number) => new AppError('unprocessable', m.site_admin_media_alt_too_long({ max })),
	busy: () => new AppError('unavailable', m.site_admin_media_busy()),
	storage: (detail?: unknown) => new AppError('unavailable', m.site_admin_media_storage(), detail)
};
