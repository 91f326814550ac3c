/**
 * Social platforms a site can link to (`social_link.platform`), with their icons. Brand icons
 * come from simple-icons (CC0), inlined at build time (`?raw`), so the package is a build-time
 * dependency only and the server ships just these few paths.
 */
import instagramSvg from 'simple-icons/icons/instagram.svg?raw';
import mastodonSvg from 'simple-icons/icons/mastodon.svg?raw';
import blueskySvg from 'simple-icons/icons/bluesky.svg?raw';
import discordSvg from 'simple-icons/icons/discord.svg?raw';
import facebookSvg from 'simple-icons/icons/facebook.svg?raw';
import youtubeSvg from 'simple-icons/icons/youtube.svg?raw';
import tiktokSvg from 'simple-icons/icons/tiktok.svg?raw';
import xSvg from 'simple-icons/icons/x.svg?raw';
import threadsSvg from 'simple-icons/icons/threads.svg?raw';
import twitchSvg from 'simple-icons/icons/twitch.svg?raw';
import soundcloudSvg from 'simple-icons/icons/soundcloud.svg?raw';
import bandcampSvg from 'simple-icons/icons/bandcamp.svg?raw';
import spotifySvg from 'simple-icons/icons/spotify.svg?raw';
import githubSvg from 'simple-icons/icons/github.svg?raw';
import telegramSvg from 'simple-icons/icons/telegram.svg?raw';
import whatsappSvg from 'simple-icons/icons/whatsapp.svg?raw';
import signalSvg from 'simple-icons/icons/signal.svg?raw';
import patreonSvg from 'simple-icons/icons/patreon.svg?raw';
import kofiSvg from 'simple-icons/icons/kofi.svg?raw';
import letterboxdSvg from 'simple-icons/icons/letterboxd.svg?raw';
import pixelfedSvg from 'simple-icons/icons/pixelfed.svg?raw';
import substackSvg from 'simple-icons/icons/substack.svg?raw';
import tumblrSvg from 'simple-icons/icons/tumblr.svg?raw';
import vimeoSvg from 'simple-icons/icons/vimeo.svg?raw';
import redditSvg from 'simple-icons/icons/reddit.svg?raw';
import meetupSvg from 'simple-icons/icons/meetup.svg?raw';
import linktreeSvg from 'simple-icons/icons/linktree.svg?raw';

/** The `d` of the single path in a simple-icons SVG (24×24 viewBox, filled). */
function brand(svg: string): string {
	return /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
}

export interface SocialPlatform {
	label: string;
	/** SVG path data, 24×24 viewBox, drawn filled. */
	icon: string;
}

/** Generic glyphs (24×24, filled) for platforms without a brand mark. */
const GLOBE =
	'M12 1.5a10.5 10.5 0 1 0 0 21 10.5 10.5 0 0 0 0-21Zm7.9 9.5h-3.45a16.4 16.4 0 0 0-1.6-6.63A8.52 8.52 0 0 1 19.9 11ZM12 3.6c.96 1.16 2.3 3.63 2.45 7.4h-4.9C9.7 7.23 11.04 4.76 12 3.6ZM9.15 4.37A16.4 16.4 0 0 0 7.55 11H4.1a8.52 8.52 0 0 1 5.05-6.63ZM4.1 13h3.45a16.4 16.4 0 0 0 1.6 6.63A8.52 8.52 0 0 1 4.1 13Zm7.9 7.4c-.96-1.16-2.3-3.63-2.45-7.4h4.9c-.15 3.77-1.49 6.24-2.45 7.4Zm2.85-.77a16.4 16.4 0 0 0 1.6-6.63h3.45a8.52 8.52 0 0 1-5.05 6.63Z';
const MAIL =
	'M3 4.5h18A1.5 1.5 0 0 1 22.5 6v12a1.5 1.5 0 0 1-1.5 1.5H3A1.5 1.5 0 0 1 1.5 18V6A1.5 1.5 0 0 1 3 4.5Zm.5 2.3v10.7h17V6.8l-8.5 6.1-8.5-6.1Zm1.9-.3L12 11.2l6.6-4.7H5.4Z';

export const SOCIAL_PLATFORMS = {
	instagram: { label: 'Instagram', icon: brand(instagramSvg) },
	mastodon: { label: 'Mastodon', icon: brand(mastodonSvg) },
	bluesky: { label: 'Bluesky', icon: brand(blueskySvg) },
	discord: { label: 'Discord', icon: brand(discordSvg) },
	facebook: { label: 'Facebook', icon: brand(facebookSvg) },
	youtube: { label: 'YouTube', icon: brand(youtubeSvg) },
	tiktok: { label: 'TikTok', icon: brand(tiktokSvg) },
	x: { label: 'X (Twitter)', icon: brand(xSvg) },
	threads: { label: 'Threads', icon: brand(threadsSvg) },
	twitch: { label: 'Twitch', icon: brand(twitchSvg) },
	soundcloud: { label: 'SoundCloud', icon: brand(soundcloudSvg) },
	bandcamp: { label: 'Bandcamp', icon: brand(bandcampSvg) },
	spotify: { label: 'Spotify', icon: brand(spotifySvg) },
	github: { label: 'GitHub', icon: brand(githubSvg) },
	telegram: { label: 'Telegram', icon: brand(telegramSvg) },
	whatsapp: { label: 'WhatsApp', icon: brand(whatsappSvg) },
	signal: { label: 'Signal', icon: brand(signalSvg) },
	patreon: { label: 'Patreon', icon: brand(patreonSvg) },
	kofi: { label: 'Ko-fi', icon: brand(kofiSvg) },
	letterboxd: { label: 'Letterboxd', icon: brand(letterboxdSvg) },
	pixelfed: { label: 'Pixelfed', icon: brand(pixelfedSvg) },
	substack: { label: 'Substack', icon: brand(substackSvg) },
	tumblr: { label: 'Tumblr', icon: brand(tumblrSvg) },
	vimeo: { label: 'Vimeo', icon: brand(vimeoSvg) },
	reddit: { label: 'Reddit', icon: brand(redditSvg) },
	meetup: { label: 'Meetup', icon: brand(meetupSvg) },
	linktree: { label: 'Linktree', icon: brand(linktreeSvg) },
	linkedin: { label: 'LinkedIn', icon: GLOBE },
	email: { label: 'Email', icon: MAIL },
	website: { label: 'Website', icon: GLOBE }
} satisfies Record<string, SocialPlatform>;

export type SocialPlatformKey = keyof typeof SOCIAL_PLATFORMS;
export const SOCIAL_PLATFORM_KEYS = Object.keys(SOCIAL_PLATFORMS) as [SocialPlatformKey, ...SocialPlatformKey[]];

/** The platform of a stored link; unknown values (older rows, hand edits) read as a website. */
export function socialPlatform(key: string): SocialPlatform & { key: SocialPlatformKey } {
	const k = (key in SOCIAL_PLATFORMS ? key : 'website') as SocialPlatformKey;
	return { key: k, ...SOCIAL_PLATFORMS[k] };
}
