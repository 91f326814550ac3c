import { m } from '$lib/paraglide/messages';

/**
 * The admin sections, in menu order, with the permission each needs (see
 * src/lib/server/auth/permissions.ts). The layout shows only the sections the role may use.
 */
export interface AdminSection {
	/** Path below the admin base (`/admin` on the site, `/sites/<slug>/admin` on the hub). */
	path: string;
	/** Its name in the person's language (a message: called when rendered). */
	label: () => string;
	icon: keyof typeof ICONS;
	action:
		| 'admin.view'
		| 'content.edit'
		| 'site.settings'
		| 'site.branding'
		| 'site.links'
		| 'site.domains'
		| 'site.fediverse'
		| 'members.invite'
		| 'followers.manage';
	/** Shown only when e-mail is configured (SMTP_URL). */
	needsMail?: true;
}

export const ADMIN_SECTIONS: AdminSection[] = [
	{ path: '', label: m.admin_nav_dashboard, icon: 'home', action: 'admin.view' },
	{ path: '/events', label: m.admin_nav_events, icon: 'calendar', action: 'content.edit' },
	{ path: '/pages', label: m.admin_nav_pages, icon: 'file', action: 'content.edit' },
	{ path: '/homepage', label: m.admin_nav_homepage, icon: 'layout', action: 'content.edit' },
	{ path: '/media', label: m.admin_nav_media, icon: 'image', action: 'content.edit' },
	{ path: '/links', label: m.admin_nav_links, icon: 'link', action: 'site.links' },
	{ path: '/branding', label: m.admin_nav_branding, icon: 'palette', action: 'site.branding' },
	{ path: '/settings', label: m.admin_nav_settings, icon: 'settings', action: 'site.settings' },
	{ path: '/domains', label: m.admin_nav_domains, icon: 'globe', action: 'site.domains' },
	{ path: '/fediverse', label: m.admin_nav_fediverse, icon: 'share', action: 'site.fediverse' },
	{ path: '/members', label: m.admin_nav_members, icon: 'users', action: 'members.invite' },
	{ path: '/discord', label: m.admin_nav_discord, icon: 'message', action: 'site.settings' },
	{ path: '/followers', label: m.mail_admin_title, icon: 'mail', action: 'followers.manage', needsMail: true }
];

/** The sections a load found allowed (by path: loads send data, not functions). */
export const sectionsAt = (paths: string[]): AdminSection[] => ADMIN_SECTIONS.filter((s) => paths.includes(s.path));

/** Feather-style icon paths (24×24, stroke). */
export const ICONS = {
	home: 'M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z',
	calendar: 'M4 5h16v16H4zM4 10h16M9 3v4M15 3v4',
	file: 'M6 2h8l5 5v15H6zM14 2v5h5M9 13h7M9 17h7',
	layout: 'M3 3h18v18H3zM3 9h18M9 9v12',
	image: 'M3 4h18v16H3zM8.5 10a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM21 16l-5-5-9 9',
	link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
	palette:
		'M12 3a9 9 0 1 0 0 18c1 0 1.5-.8 1.5-1.5 0-.9-.7-1.2-.7-2 0-.8.6-1.5 1.5-1.5H17a4 4 0 0 0 4-4c0-5-4-9-9-9zM7.5 12h.01M9.5 7.5h.01M14.5 7.5h.01',
	settings:
		'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
	globe: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18',
	users: 'M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM23 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8',
	message: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2zM8 9h8M8 13h5',
	share:
		'M18 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 22a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8.6 13.5l6.8 4M15.4 6.5l-6.8 4',
	external: 'M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14 21 3',
	menu: 'M3 6h18M3 12h18M3 18h18',
	mail: 'M3 5h18v14H3zM3 5l9 8 9-8'
} as const;
