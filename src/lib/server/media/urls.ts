/**
 * Media URLs, built at render time only (the database keeps keys, never URLs): `CDN_BASE_URL` +
 * key when a CDN or public bucket serves the objects, else `/media/` + key served by this app.
 * Changing CDN_BASE_URL therefore moves every image at once.
 */
import { env } from '../env';
import { variantKey } from './keys';

/** What a template needs to show an asset (an asset row and the site context's ImageRef both fit). */
export interface ImageSource {
	cdnKey: string;
	/** Widths, largest first. */
	variants: number[];
	/** Size of the largest variant. */
	width: number;
	height: number;
	altText?: string;
}

export function mediaUrl(key: string): string {
	const base = env().CDN_BASE_URL;
	if (!base) return `/media/${key}`;
	return base.endsWith('/') ? base + key : `${base}/${key}`;
}

/** An absolute URL (Open Graph images, feeds): local media URLs are relative to `origin`. */
export function absoluteMediaUrl(key: string, origin: string): string {
	return new URL(mediaUrl(key), origin).href;
}

export function variantUrl(image: ImageSource, width: number): string {
	return mediaUrl(variantKey(image.cdnKey, width));
}

/** The smallest variant at least `minWidth` wide (else the largest). */
export function pickVariant(image: ImageSource, minWidth = Infinity): number {
	const fitting = image.variants.filter((w) => w >= minWidth);
	return fitting.length ? Math.min(...fitting) : Math.max(...image.variants);
}

export function imageSrc(image: ImageSource, minWidth?: number): string {
	return variantUrl(image, pickVariant(image, minWidth));
}

/** `url 1600w, url 960w, …` */
export function imageSrcset(image: ImageSource): string {
	return image.variants.map((w) => `${variantUrl(image, w)} ${w}w`).join(', ');
}

export interface ImageAttrs {
	src: string;
	srcset: string;
	sizes: string;
	width: number;
	height: number;
	alt: string;
}

/**
 * Attributes for an `<img>`: `{...imageAttrs(asset, { sizes: '(min-width: 60rem) 50vw, 100vw' })}`.
 * `width`/`height` are the intrinsic ratio (so the page does not jump while images load);
 * `src` is the fallback for browsers without srcset, the variant nearest `fallbackWidth`.
 */
export function imageAttrs(image: ImageSource, options: { sizes?: string; fallbackWidth?: number } = {}): ImageAttrs {
	return {
		src: imageSrc(image, options.fallbackWidth ?? 960),
		srcset: imageSrcset(image),
		sizes: options.sizes ?? '100vw',
		width: image.width,
		height: image.height,
		alt: image.altText ?? ''
	};
}
