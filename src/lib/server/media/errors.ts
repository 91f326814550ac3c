/**
 * Every way an upload can be refused, as AppErrors whose message can be shown next to the form
 * field as it is. Statuses: 413 too big, 415 not an accepted image, 422 broken image, 503 when
 * the server (not the file) is the problem.
 */
import { AppError } from '../errors';

const mb = (bytes: number) => {
	const n = bytes / (1024 * 1024);
	return Number.isInteger(n) ? `${n} MB` : `${n.toFixed(1)} MB`;
};
const mp = (pixels: number) => `${Math.round((pixels / 1_000_000) * 10) / 10} megapixels`;

export const uploadErrors = {
	missing: () => new AppError('bad_request', 'Choose an image to upload.'),
	empty: () => new AppError('unprocessable', 'This file is empty.'),
	tooManyBytes: (max: number) => new AppError('payload_too_large', `Image is larger than ${mb(max)}.`),
	tooManyPixels: (max: number) => new AppError('payload_too_large', `Image is larger than ${mp(max)}.`),
	notAnImage: () => new AppError('unsupported_media_type', 'This file is not an image.'),
	svg: () =>
		new AppError(
			'unsupported_media_type',
			'SVG images are not accepted (they can carry scripts). Export it as PNG or WebP and upload that.'
		),
	heic: () =>
		new AppError(
			'unsupported_media_type',
			'HEIC photos cannot be read here. Export the photo as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible) and upload that.'
		),
	otherFormat: () => new AppError('unsupported_media_type', 'This image format is not accepted. Use JPEG, PNG, WebP, GIF or AVIF.'),
	broken: (detail?: unknown) =>
		new AppError('unprocessable', 'This image is damaged or incomplete. Try saving or exporting it again.', detail),
	altTooLong: (max: number) => new AppError('unprocessable', `The description (alt text) can be at most ${max} characters.`),
	busy: () => new AppError('unavailable', 'Too many images are being processed right now. Please try again in a minute.'),
	storage: (detail?: unknown) =>
		new AppError('unavailable', 'The image could not be stored right now. Please try again in a minute.', detail)
};
