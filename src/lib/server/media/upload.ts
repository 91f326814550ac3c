/**
 * One upload, start to finish: cheap checks first (declared size, magic bytes), then the image
 * work under the concurrency limit, then the objects, then the row.
 *
 * Nothing is left behind on failure: objects are written before the row is inserted, and if any
 * write or the insert fails, every object of this upload is deleted before the error goes up.
 * If that clean-up itself fails (storage down), the objects are orphans without a row, which
 * scripts/sweep-orphans.ts finds.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import sharp from 'sharp';
import { env } from '../env';
import { log } from '../log';
import { insertAsset, type AssetKind, type AssetRow } from '../queries/assets';
import type { Actor } from '../queries/audit';
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import { uploadErrors } from './errors';
import { convertImage, VARIANT_WIDTHS, type Variant } from './image';
import { assetKeyBase, variantKey } from './keys';
import { Semaphore, QueueFullError } from './semaphore';
import { SNIFF_BYTES, sniff, type SniffedType } from './sniff';
import { mediaStorage } from './storage';

export const ALT_TEXT_MAX = 500;
const NAME_MAX = 200;

/** Formats accepted for decoding. HEIC is tried too, and refused with its own message when it fails. */
const DECODABLE = new Set<SniffedType>(['jpeg', 'png', 'webp', 'gif', 'avif', 'heic']);

let gate: Semaphore | undefined;

/**
 * The process-wide limit on images in work, set up on first use. libvips threads per image are
 * sized so that all images at once use about one thread per core, and sharp's cache is off:
 * every upload is a different image, so caching would only hold memory.
 */
function imageGate(): Semaphore {
	if (!gate) {
		const limit = env().MEDIA_CONCURRENCY;
		const cores = cpus().length || 1;
		sharp.concurrency(Math.max(1, Math.floor(cores / limit)));
		sharp.cache(false);
		gate = new Semaphore(limit, limit * 16);
	}
	return gate;
}

/** For the benchmark and tests: how busy the gate is. */
export function imageGateState(): { running: number; queued: number; limit: number } {
	const g = imageGate();
	return { running: g.running, queued: g.queued, limit: g.limit };
}

export interface UploadSite {
	id: string;
	slug: string;
}

export interface UploadOptions {
	altText?: string;
	/** Who uploads: recorded in the audit trail when given. */
	actor?: Actor;
}

function cleanName(name: string): string {
	// Control characters and path parts say nothing useful about the image.
	const base = name.split(/[\\/]/).pop() ?? '';
	return base
		.replace(/[\u0000-\u001f\u007f]/g, '')
		.trim()
		.slice(0, NAME_MAX);
}

/** Check what can be checked without decoding; returns the sniffed type. */
async function precheck(file: Blob, maxBytes: number): Promise<SniffedType> {
	if (file.size === 0) throw uploadErrors.empty();
	if (file.size > maxBytes) throw uploadErrors.tooManyBytes(maxBytes);
	const type = sniff(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
	if (type === 'svg') throw uploadErrors.svg();
	if (type === 'tiff' || type === 'bmp') throw uploadErrors.otherFormat();
	if (!DECODABLE.has(type)) throw uploadErrors.notAnImage();
	return type;
}

async function storeVariants(cdnKey: string, variants: Variant[]): Promise<string[]> {
	const storage = mediaStorage();
	const keys = variants.map((v) => variantKey(cdnKey, v.width));
	const results = await Promise.allSettled(variants.map((v, i) => storage.put(keys[i]!, v.data, 'image/webp')));
	const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed) {
		await removeObjects(keys, 'store failed');
		throw uploadErrors.storage(failed.reason);
	}
	return keys;
}

async function removeObjects(keys: string[], why: string): Promise<void> {
	try {
		await mediaStorage().delete(keys);
	} catch (error) {
		log.error('could not delete media objects; sweep-orphans will find them', { why, keys, error });
	}
}

/**
 * Turn an uploaded file into an asset of `site`: WebP variants in storage and a row in `asset`.
 * Throws AppError (4xx with a message for the form field, or 503 when storage is down).
 */
export async function processUpload(site: UploadSite, kind: AssetKind, file: Blob, options: UploadOptions = {}): Promise<AssetRow> {
	const { UPLOAD_MAX_BYTES, UPLOAD_MAX_PIXELS } = env();
	const altText = (options.altText ?? '').trim();
	if (altText.length > ALT_TEXT_MAX) throw uploadErrors.altTooLong(ALT_TEXT_MAX);
	const type = await precheck(file, UPLOAD_MAX_BYTES);
	const input = Buffer.from(await file.arrayBuffer());

	let variants: Variant[];
	try {
		variants = await imageGate().run(() => convertImage(input, { widths: VARIANT_WIDTHS[kind], maxPixels: UPLOAD_MAX_PIXELS, type }));
	} catch (error) {
		if (error instanceof QueueFullError) throw uploadErrors.busy();
		throw error;
	}

	const id = randomUUID();
	const cdnKey = assetKeyBase(site.slug, kind, id);
	const keys = await storeVariants(cdnKey, variants);
	const values = {
		id,
		kind,
		cdnKey,
		variants: variants.map((v) => v.width),
		// The largest variant's size: the original is not kept, so this is the largest one can show.
		width: variants[0]!.width,
		height: variants[0]!.height,
		bytes: variants.reduce((n, v) => n + v.data.length, 0),
		altText,
		originalName: file instanceof File ? cleanName(file.name) : ''
	};
	try {
		return await write({ siteId: site.id, actor: options.actor ?? systemActor() }, async (w) => {
			const row = await insertAsset(site.id, values);
			await w.audit({ action: 'asset.upload', targetType: 'asset', targetId: id, target: values.originalName });
			return row;
		});
	} catch (error) {
		await removeObjects(keys, 'row insert failed');
		throw error;
	}
}
