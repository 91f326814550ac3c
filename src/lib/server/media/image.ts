/**
 * The sharp part of the pipeline: read the header under the pixel limit, orient by EXIF, and
 * encode WebP variants at the widths of the asset's kind, never larger than the image itself.
 *
 * Animated GIF/WebP keep their first frame only (sharp's default `animated: false`): a still
 * costs one decode per width, while an animation multiplies CPU and bytes by the frame count,
 * and event or page images are shown as stills anyway.
 *
 * Metadata (EXIF, XMP, ICC, GPS) is not copied: sharp writes none unless asked, and pixels are
 * converted to sRGB. Orientation is applied to the pixels first, so nothing depends on it.
 */
import sharp from 'sharp';
import type { AssetKind } from '../queries/assets';
import { AppError } from '../errors';
import { uploadErrors } from './errors';
import type { SniffedType } from './sniff';
import { deprioritizeImageThreads } from './priority';

/** Widths per kind, largest first. */
export const VARIANT_WIDTHS: Record<AssetKind, readonly number[]> = {
	logo: [512, 256],
	background: [2400, 1600, 960],
	event: [1600, 960, 480],
	page: [1600, 960, 480]
};

export const WEBP_OPTIONS = { quality: 80, effort: 4 } as const;

/** WebP cannot store a side longer than this. */
const WEBP_MAX_SIDE = 16383;

export interface Variant {
	width: number;
	height: number;
	data: Buffer;
}

/**
 * The widths to produce for an image of `width` × `height` (already oriented): each target,
 * capped at the image's width and at the width whose height still fits WebP; duplicates removed.
 */
export function planWidths(targets: readonly number[], width: number, height: number): number[] {
	const fitsWebp = Math.floor((WEBP_MAX_SIDE * width) / height);
	const cap = Math.max(1, Math.min(width, fitsWebp, WEBP_MAX_SIDE));
	const widths = targets.map((t) => Math.min(t, cap));
	return [...new Set(widths)].sort((a, b) => b - a);
}

function sharpMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** A sharp failure on user bytes, as the error the uploader should see. */
export function decodeError(error: unknown, type: SniffedType, maxPixels: number): AppError {
	if (error instanceof AppError) return error;
	const message = sharpMessage(error);
	if (/exceeds pixel limit/i.test(message)) return uploadErrors.tooManyPixels(maxPixels);
	// Apple's HEIC is HEVC-coded, which the prebuilt libvips cannot decode (patents).
	if (type === 'heic') return uploadErrors.heic();
	if (/unsupported image format/i.test(message)) return uploadErrors.notAnImage();
	return uploadErrors.broken(message);
}

export interface ConvertOptions {
	widths: readonly number[];
	maxPixels: number;
	type: SniffedType;
}

/** Decode `input` and return its WebP variants, largest first. Throws AppError for bad input. */
export async function convertImage(input: Buffer, { widths, maxPixels, type }: ConvertOptions): Promise<Variant[]> {
	try {
		const source = sharp(input, { limitInputPixels: maxPixels, animated: false });
		const meta = await source.metadata();
		const { width, height } = meta.autoOrient ?? meta;
		if (!width || !height) throw uploadErrors.broken('no dimensions');
		const variants: Variant[] = [];
		// One variant after the other: each is already multi-threaded inside libvips, and running them
		// in parallel would take more of libuv's small thread pool that file reads also need.
		for (const target of planWidths(widths, width, height)) {
			const { data, info } = await source
				.clone()
				.rotate()
				.resize({ width: target, withoutEnlargement: true })
				.webp(WEBP_OPTIONS)
				.toBuffer({ resolveWithObject: true });
			variants.push({ width: info.width, height: info.height, data });
			// libvips starts its threads on demand: catch new ones after each step.
			deprioritizeImageThreads();
		}
		return variants;
	} catch (error) {
		throw decodeError(error, type, maxPixels);
	}
}
