/**
 * For admin form actions: read the file field, run the pipeline, and turn refusals into an error
 * for that field, e.g.
 *
 *   const upload = readUpload(form, 'image');
 *   if (!upload.ok) return fail(upload.status, { errors: { image: upload.message } });
 *   try {
 *     asset = await processUpload(locals.site, 'event', upload.file, { altText, actor });
 *   } catch (error) {
 *     const refused = uploadFailure(error);
 *     if (refused) return fail(refused.status, { errors: { image: refused.message } });
 *     throw error;
 *   }
 */
import { env } from '../env';
import { AppError } from '../errors';
import { uploadErrors } from './errors';

export type UploadField = { ok: true; file: File } | { ok: false; status: number; message: string };

const refuse = (error: AppError): UploadField => ({ ok: false, status: error.status, message: error.message });

/**
 * The file posted in `field`, or a field error. A browser posts an empty, nameless file when
 * nothing was chosen; that is "choose an image", not "empty file".
 */
export function readUpload(form: FormData | Record<string, unknown>, field: string): UploadField {
	const value = form instanceof FormData ? form.get(field) : form[field];
	if (!(value instanceof File) || (value.size === 0 && value.name === '')) return refuse(uploadErrors.missing());
	if (value.size === 0) return refuse(uploadErrors.empty());
	const max = env().UPLOAD_MAX_BYTES;
	if (value.size > max) return refuse(uploadErrors.tooManyBytes(max));
	return { ok: true, file: value };
}

/** A refusal to show next to the field (4xx, or 503 when storage or the queue is full), or null for a bug. */
export function uploadFailure(error: unknown): { status: number; message: string } | null {
	if (error instanceof AppError && (error.status < 500 || error.code === 'unavailable')) {
		return { status: error.status, message: error.message };
	}
	return null;
}
