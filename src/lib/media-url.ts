/**
 * URLs of stored images. The database keeps only an object key and the widths of its WebP
 * variants; a variant lives at `${base}${cdnKey}-${width}.webp`, where `base` is CDN_BASE_URL or
 * `/media/` for the local driver. The base is chosen on the server (see server/media-base.ts) and
 * passed down, so this module stays usable in components.
 */
import { frameRatio } from './image-frames';

export interface StoredImage {
	cdnKey: string;
	/** Widths of the stored variants, largest first. */
	variants: number[];
	width: number;
	height: number;
	altText: string;
	/** The point that must stay visible (percent); the centre when absent. */
	focalX?: number;
	focalY?: number;
	/** How it is framed (image-frames.ts); '' or absent: the place's default. */
	frame?: string;
}

export interface ImageSource {
	src: string;
	srcset: string;
	width: number;
	height: number;
	alt: string;
	/** CSS object-position keeping the focal point in view. */
	position: string;
	/** The organiser's framing (image-frames.ts) and its width ÷ height (null: the place's default). */
	frame: string;
	ratio: number | null;
}

export function variantUrl(base: string, image: Pick<StoredImage, 'cdnKey'>, width: number): string {
	return `${base}${image.cdnKey}-${width}.webp`;
}

/**
 * `src` is the smallest variant at least `preferredWidth` wide (else the largest); `srcset` lists
 * them all so the browser picks by the `sizes` the caller gives. Width and height keep the
 * original's aspect ratio, so the layout does not jump while the image loads.
 */
export function imageSource(base: string, image: StoredImage, preferredWidth = 960): ImageSource {
	const widths = [...image.variants].sort((a, b) => a - b);
	const chosen = widths.find((w) => w >= preferredWidth) ?? widths.at(-1) ?? image.width;
	const ratio = image.width > 0 ? image.height / image.width : 1;
	return {
		src: variantUrl(base, image, chosen),
		srcset: widths.map((w) => `${variantUrl(base, image, w)} ${w}w`).join(', '),
		width: chosen,
		height: Math.round(chosen * ratio),
		alt: image.altText,
		position: `${image.focalX ?? 50}% ${image.focalY ?? 50}%`,
		frame: image.frame ?? '',
		ratio: frameRatio(image.frame, image.width, image.height)
	};
}

/** The largest variant, for Open Graph cards (absolute when `base` is). */
export function largestVariantUrl(base: string, image: StoredImage): string {
	return variantUrl(base, image, Math.max(...image.variants, 0) || image.width);
}
