/**
 * Where image variants are fetched from: CDN_BASE_URL when set (S3/CDN), else `/media/` on the
 * site's own host (the local driver serves them there). Always ends with a slash, so
 * `base + key` is a valid URL.
 */
import { env } from './env';

export function mediaBase(): string {
	const base = env().CDN_BASE_URL ?? '/media/';
	return base.endsWith('/') ? base : `${base}/`;
}

/** The base as an absolute URL (Open Graph images, feeds), given the site's public origin. */
export function absoluteMediaBase(origin: string): string {
	return new URL(mediaBase(), origin).href;
}
