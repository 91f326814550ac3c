import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { LayoutServerLoad } from './$types';
import { layoutLinks } from '$lib/server/public-site/layout-links';
import { mediaBase } from '$lib/server/media-base';
import { imageSource } from '$lib/media-url';
import { safeHref, isExternal } from '$lib/safe-url';
import { socialPlatform } from '$lib/social';
import { themeCss } from '$lib/theme-css';
import { themeColors } from '$lib/theme';
import type { NavItem, SocialItem } from '$lib/site-view';
import { canonicalUrl } from '$lib/server/urls';
import { webcalUrl } from '$lib/server/public-site/calendar-links';
import { followersEnabled } from '$lib/server/services/followers';

// The public site is plain HTML and CSS: no client-side JavaScript to download or run.
export const csr = false;

export const load: LayoutServerLoad = async (event) => {
	const site = event.locals.site;
	if (!site) error(404, 'Not found');
	// Kept per site in memory until the site changes (public-site/layout-links.ts).
	const { navLinks, socialLinks, pages } = await layoutLinks(site.id);

	const nav: NavItem[] = [];
	const seen = new Set<string>();
	const add = (label: string, raw: string) => {
		const href = safeHref(raw);
		if (!href || seen.has(href)) return;
		seen.add(href);
		nav.push({ label, href, external: isExternal(href) });
	};
	for (const link of navLinks) add(link.label, link.url);
	for (const p of pages) if (p.showInNav) add(p.title, `/${p.slug}`);
	// Events are what a collective's site is for: always reachable from the header.
	if (!seen.has('/events')) nav.unshift({ label: m.nav_events(), href: '/events', external: false });

	const social: SocialItem[] = socialLinks.flatMap((link) => {
		const href = safeHref(link.url);
		if (!href) return [];
		const platform = socialPlatform(link.platform);
		return [{ platform: platform.key, label: platform.label, icon: platform.icon, href }];
	});

	const base = mediaBase();
	const logo = site.logo ? imageSource(base, site.logo, 256) : null;
	return {
		site: {
			name: site.name,
			tagline: site.tagline,
			description: site.description,
			mode: site.theme.mode,
			themeCss: themeCss(site.theme),
			themeColor: themeColors(site.theme).background,
			logo,
			background: site.background ? imageSource(base, site.background, 1600) : null
		},
		/** Read by the root layout too, which then leaves out the platform's default icons. */
		siteIcon: logo?.src ?? null,
		// The calendar on the primary host: `webcal:` subscribes (apps re-fetch it), https downloads once.
		calendar: { file: '/events.ics', subscribe: webcalUrl(canonicalUrl(site.primaryHost, '/events.ics', event)) },
		nav,
		social,
		/** The "events by e-mail" form, only when the server can send mail. */
		follow: followersEnabled()
	};
};
