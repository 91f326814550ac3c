/**
 * How an image is framed where the public site shows it, chosen per image by the organiser
 * beside the focal point (stored on the asset, `frame`). Applied with CSS only: `aspect-ratio`
 * plus `object-fit`/`object-position` (the focal point), so nothing is re-encoded and a change
 * shows at once.
 *
 * Event images (the event's cards and the top of its page): '' keeps the defaults (a square in
 * lists, the whole image on the event page); a preset cuts both to that shape around the focal
 * point; 'original' shows the whole image everywhere. Posters are mostly portrait (A-series,
 * 4:5 for social media), hence "poster" first.
 *
 * The background (behind the home page's headline): '' fills the area and is cut around the
 * focal point; 'whole' shows the whole image (the site's colours around it) — for a banner
 * with writing on it that must not be cut.
 */
export const EVENT_FRAMES = ['', 'poster', 'square', 'wide', 'original'] as const;
export const BACKGROUND_FRAMES = ['', 'whole'] as const;
export type EventFrame = (typeof EVENT_FRAMES)[number];
export type BackgroundFrame = (typeof BACKGROUND_FRAMES)[number];

const PRESET_RATIO: Record<string, number> = { poster: 4 / 5, square: 1, wide: 16 / 9 };

/**
 * Width ÷ height of the frame: a preset's, the image's own for 'original', null for '' (and
 * anything unknown): the place that shows it decides.
 */
export function frameRatio(frame: string | undefined, width: number, height: number): number | null {
	if (frame && frame in PRESET_RATIO) return PRESET_RATIO[frame]!;
	if (frame === 'original' && width > 0 && height > 0) return width / height;
	return null;
}
