/**
 * Object keys. One bucket holds every site's images as `sites/{slug}/{kind}/{assetId}-{width}.webp`;
 * the asset row keeps the base `sites/{slug}/{kind}/{assetId}` and the list of widths.
 *
 * Two grammars: `isStorageKey` is what any driver accepts (no traversal, no absolute paths, no
 * odd characters), `parseMediaKey` is the exact shape of an image variant, used by the /media
 * route so that nothing but a variant can ever be served.
 */
import type { AssetKind } from '../queries/assets';

export const ASSET_KINDS = ['logo', 'background', 'event', 'page'] as const satisfies readonly AssetKind[];

const SLUG = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const VARIANT = new RegExp(`^sites/(${SLUG})/(${ASSET_KINDS.join('|')})/(${UUID})-([1-9][0-9]{0,4})\\.webp$`);

/** Segments start with a letter or digit, so `.`, `..` and hidden names cannot appear. */
const STORAGE_KEY = /^[a-z0-9][a-z0-9._-]{0,199}(?:\/[a-z0-9][a-z0-9._-]{0,199}){0,15}$/i;

export function isStorageKey(key: string): boolean {
	return key.length <= 1024 && STORAGE_KEY.test(key);
}

/** A prefix for listing: a storage key, optionally ending with `/`, or the empty string. */
export function isStoragePrefix(prefix: string): boolean {
	return prefix === '' || isStorageKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

export interface MediaKey {
	slug: string;
	kind: AssetKind;
	assetId: string;
	width: number;
}

export function parseMediaKey(key: string): MediaKey | null {
	const m = VARIANT.exec(key);
	if (!m) return null;
	return { slug: m[1]!, kind: m[2] as AssetKind, assetId: m[3]!, width: Number(m[4]) };
}

export function assetKeyBase(slug: string, kind: AssetKind, assetId: string): string {
	return `sites/${slug}/${kind}/${assetId}`;
}

export function variantKey(cdnKey: string, width: number): string {
	return `${cdnKey}-${width}.webp`;
}

export function variantKeys(row: { cdnKey: string; variants: number[] }): string[] {
	return row.variants.map((w) => variantKey(row.cdnKey, w));
}
