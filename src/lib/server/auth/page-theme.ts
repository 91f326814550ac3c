/**
 * Colours and fonts of the sign-in pages (/login, /logout, invitations, "no access"): the site's
 * own theme, so people sign in on something that looks like their collective; the default theme
 * on the hub. themeColors guarantees AA contrast for text on the background.
 */
import { DEFAULT_THEME, FONTS, themeColors, type Theme } from '../../theme';

export interface AuthPageLook {
	/** Site name, or "Collective Hub" on the hub. */
	siteName: string;
	/** CSS custom properties for the page (hex colours and fixed font stacks only). */
	style: string;
}

export function authPageStyle(theme: Theme): string {
	const c = themeColors(theme);
	return [
		`--auth-bg:${c.background}`,
		`--auth-surface:${c.surface}`,
		`--auth-text:${c.text}`,
		`--auth-muted:${c.muted}`,
		`--auth-accent:${c.accent}`,
		`--auth-accent-text:${c.accentText}`,
		`--auth-on-accent:${c.onAccent}`,
		`--auth-heading-font:${FONTS[theme.headingFont].stack}`,
		`--auth-body-font:${FONTS[theme.bodyFont].stack}`,
		`color-scheme:${theme.mode}`
	].join(';');
}

export function authPageLook(site: { name: string; theme: Theme } | null): AuthPageLook {
	return { siteName: site?.name ?? 'Collective Hub', style: authPageStyle(site?.theme ?? DEFAULT_THEME) };
}
