/**
 * The sharing card of a site without an uploaded image (no page image, background or logo): a
 * 1200×630 PNG in the site's colours with the platform's calendar mark, drawn from SVG by sharp.
 * No text, so no fonts are needed on the server. Cached by colours: a handful of sites share a
 * theme, and a theme change gives a new URL (`?v=`) so link previews refresh.
 */
import sharp from 'sharp';
import { LRUCache } from 'lru-cache';
import type { ThemeColors } from '../../theme';

const cache = new LRUCache<string, Promise<Buffer>>({ max: 200 });

export const OG_CARD = { width: 1200, height: 630 };

/** A short stable key of the colours the card is drawn with (the `v` of its URL). */
export function ogCardVersion(c: Pick<ThemeColors, 'background' | 'surface' | 'accent'>): string {
	return [c.background, c.surface, c.accent].map((x) => x.replace('#', '').toLowerCase()).join('');
}

function svg(c: Pick<ThemeColors, 'background' | 'surface' | 'accent'>): string {
	const { width, height } = OG_CARD;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="${width}" height="${height}" fill="${c.background}"/>
<rect x="60" y="60" width="${width - 120}" height="${height - 120}" rx="36" fill="${c.surface}"/>
<g transform="translate(420 135) scale(5.6)" fill="none" stroke="${c.accent}" stroke-width="4" stroke-linecap="round">
<rect x="13" y="17" width="38" height="34" rx="5"/><path d="M13 28h38M24 11v10M40 11v10"/></g>
<circle cx="${420 + 32 * 5.6}" cy="${135 + 40 * 5.6}" r="${4.5 * 5.6}" fill="${c.accent}"/>
</svg>`;
}

export function ogCardPng(c: Pick<ThemeColors, 'background' | 'surface' | 'accent'>): Promise<Buffer> {
	const key = ogCardVersion(c);
	let png = cache.get(key);
	if (!png) {
		png = sharp(Buffer.from(svg(c)))
			.png({ compressionLevel: 9 })
			.toBuffer();
		png.catch(() => cache.delete(key));
		cache.set(key, png);
	}
	return png;
}
