/**
 * A site's theme as CSS custom properties. Every value comes from `themeColors` (contrast-checked
 * hex colours) or the FONTS safe list, never from free text, so the string is safe to inline in a
 * <style> element. Shared by the public layout, the themed "paused" page and (later) the branding
 * editor's preview.
 */
import { FONTS, themeColors, type Theme } from './theme';

export function themeVariables(theme: Theme): Record<string, string> {
	const c = themeColors(theme);
	return {
		'--bg': c.background,
		'--surface': c.surface,
		'--text': c.text,
		'--muted': c.muted,
		'--accent': c.accent,
		'--accent-text': c.accentText,
		'--on-accent': c.onAccent,
		'--font-body': FONTS[theme.bodyFont].stack,
		'--font-heading': FONTS[theme.headingFont].stack,
		'color-scheme': theme.mode
	};
}

/** Computed once per theme object: a site's theme is one object for as long as its host entry lives. */
const computed = new WeakMap<Theme, string>();

/** `selector { --bg: …; … }` */
export function themeCss(theme: Theme, selector = ':root'): string {
	let body = computed.get(theme);
	if (body === undefined) {
		body = Object.entries(themeVariables(theme))
			.map(([k, v]) => `${k}:${v}`)
			.join(';');
		computed.set(theme, body);
	}
	return `${selector}{${body}}`;
}
