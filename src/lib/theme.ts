/**
 * A site's theme: the one JSON column in the database, always written through `themeSchema`.
 * Shared by the server (validation, CSS variables) and the branding editor (live preview),
 * so both agree on what a valid theme is.
 */
import { z } from 'zod';

const hex = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^#[0-9a-f]{6}$/, 'Use a colour like #1a2b3c');

/** Fonts from a small safe list: system stacks only, so no third-party font requests. */
export const FONTS = {
	system: { label: 'System sans', stack: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
	humanist: { label: 'Humanist', stack: 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif' },
	serif: { label: 'Book serif', stack: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif' },
	didone: { label: 'Didone', stack: 'Didot, "Bodoni MT", "Noto Serif Display", "URW Palladio L", P052, Sylfaen, serif' },
	mono: { label: 'Monospace', stack: 'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, "DejaVu Sans Mono", monospace' },
	rounded: {
		label: 'Rounded',
		stack: 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", sans-serif'
	}
} as const;

export type FontKey = keyof typeof FONTS;
export const FONT_KEYS = Object.keys(FONTS) as [FontKey, ...FontKey[]];

export const themeSchema = z.object({
	mode: z.enum(['light', 'dark']).default('light'),
	/** Buttons, links, highlights. */
	accent: hex.default('#b4232a'),
	/** Page background; defaults follow the mode. */
	background: hex.optional(),
	/** Body text; when absent, black or white is picked for contrast with the background. */
	text: hex.optional(),
	bodyFont: z.enum(FONT_KEYS).default('system'),
	headingFont: z.enum(FONT_KEYS).default('system')
});

export type Theme = z.output<typeof themeSchema>;
export type ThemeInput = z.input<typeof themeSchema>;

export const DEFAULT_THEME: Theme = themeSchema.parse({});

/** Parse a stored theme, falling back to defaults field by field rather than failing a page view. */
export function readTheme(stored: unknown): Theme {
	const parsed = themeSchema.safeParse(stored ?? {});
	if (parsed.success) return parsed.data;
	const partial: Record<string, unknown> = {};
	if (stored && typeof stored === 'object') {
		for (const [key, value] of Object.entries(stored)) {
			const field = themeSchema.shape[key as keyof typeof themeSchema.shape];
			if (field && field.safeParse(value).success) partial[key] = value;
		}
	}
	return themeSchema.parse(partial);
}

// ---- Contrast (WCAG 2.x relative luminance) ----

function channel(c: number): number {
	const s = c / 255;
	return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(color: string): number {
	const n = Number.parseInt(color.slice(1), 16);
	return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

/** WCAG AA for normal text. */
export const AA_NORMAL = 4.5;

/** Black or white, whichever reads better on `background`. */
export function readableOn(background: string): string {
	if (contrastRatio(background, '#000000') < contrastRatio(background, '#ffffff')) return '#ffffff';
	// Soft black reads better, but near the black/white crossover only pure black still reaches AA.
	return contrastRatio(background, '#111111') >= AA_NORMAL ? '#111111' : '#000000';
}

/** Mix a colour toward black (amount < 0) or white (amount > 0), amount in [-1, 1]. */
function shade(color: string, amount: number): string {
	const n = Number.parseInt(color.slice(1), 16);
	const target = amount < 0 ? 0 : 255;
	const t = Math.abs(amount);
	const mix = (c: number) => Math.round(c + (target - c) * t);
	const r = mix((n >> 16) & 255);
	const g = mix((n >> 8) & 255);
	const b = mix(n & 255);
	return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}

export interface ThemeColors {
	background: string;
	surface: string;
	text: string;
	muted: string;
	accent: string;
	/** Accent adjusted to be readable as text on the background. */
	accentText: string;
	/** Text colour on accent-filled buttons. */
	onAccent: string;
}

/**
 * Computed once per theme object (frozen, shared): a site's theme is one object for as long as
 * its host entry lives, and every uncached public page asks for its colours more than once.
 */
const colorsOf = new WeakMap<Theme, Readonly<ThemeColors>>();

/** Every colour a page uses, with contrast guaranteed to meet WCAG AA. */
export function themeColors(theme: Theme): Readonly<ThemeColors> {
	let colors = colorsOf.get(theme);
	if (colors === undefined) colorsOf.set(theme, (colors = Object.freeze(computeColors(theme))));
	return colors;
}

function computeColors(theme: Theme): ThemeColors {
	const background = theme.background ?? (theme.mode === 'dark' ? '#14161a' : '#fbfaf7');
	const text = theme.text && contrastRatio(theme.text, background) >= AA_NORMAL ? theme.text : readableOn(background);
	const dark = luminance(background) < 0.4;
	// Cards are a shade off the page; on a mid-tone page that shade must not cost the text its contrast.
	let surface = shade(background, dark ? 0.06 : -0.03);
	if (contrastRatio(text, surface) < AA_NORMAL) surface = shade(background, dark ? -0.06 : 0.03);
	if (contrastRatio(text, surface) < AA_NORMAL) surface = background;
	// Muted text and accent links sit on cards (surface) as well as on the page: readable on both,
	// else the text colour itself (which is).
	const onBoth = (color: string) => {
		const ok = (c: string) => contrastRatio(c, background) >= AA_NORMAL && contrastRatio(c, surface) >= AA_NORMAL;
		if (ok(color)) return color;
		const direction = contrastRatio(background, '#ffffff') > contrastRatio(background, '#000000') ? 1 : -1;
		for (let step = 1; step <= 20; step++) {
			const candidate = shade(color, (direction * step) / 20);
			if (ok(candidate)) return candidate;
		}
		return text;
	};
	const muted = onBoth(shade(text, dark ? -0.3 : 0.35));
	return {
		background,
		surface,
		text,
		muted,
		accent: theme.accent,
		accentText: onBoth(theme.accent),
		onAccent: readableOn(theme.accent)
	};
}
