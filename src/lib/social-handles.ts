/**
 * What people type into a social link field, turned into the profile's address: `@name`,
 * `name`, `instagram.com/name`, `@user@mastodon.social`, or a full https:// address. Returns null
 * when nothing sensible comes out (the form then asks for an address).
 */
import type { SocialPlatformKey } from './social';

const HANDLE = /^@?([A-Za-z0-9._-]{1,100})$/;
/** `@user@instance` (Mastodon, Pixelfed and other fediverse servers). */
const FEDI = /^@?([A-Za-z0-9_.-]{1,64})@([a-z0-9.-]+\.[a-z]{2,})$/i;
/** `example.org/path` typed without a scheme. */
const BARE_URL = /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#]\S*)?$/i;

/** Profile address of a handle, per platform (null: that platform has no handle-only form). */
const PROFILE: Partial<Record<SocialPlatformKey, (name: string) => string>> = {
	instagram: (n) => `https://www.instagram.com/${n}/`,
	x: (n) => `https://x.com/${n}`,
	threads: (n) => `https://www.threads.net/@${n}`,
	tiktok: (n) => `https://www.tiktok.com/@${n}`,
	youtube: (n) => `https://www.youtube.com/@${n}`,
	twitch: (n) => `https://www.twitch.tv/${n}`,
	github: (n) => `https://github.com/${n}`,
	bluesky: (n) => `https://bsky.app/profile/${n.includes('.') ? n : `${n}.bsky.social`}`,
	telegram: (n) => `https://t.me/${n}`,
	soundcloud: (n) => `https://soundcloud.com/${n}`,
	bandcamp: (n) => `https://${n}.bandcamp.com/`,
	patreon: (n) => `https://www.patreon.com/${n}`,
	kofi: (n) => `https://ko-fi.com/${n}`,
	letterboxd: (n) => `https://letterboxd.com/${n}/`,
	substack: (n) => `https://${n}.substack.com/`,
	tumblr: (n) => `https://${n}.tumblr.com/`,
	vimeo: (n) => `https://vimeo.com/${n}`,
	facebook: (n) => `https://www.facebook.com/${n}`,
	linkedin: (n) => `https://www.linkedin.com/in/${n}`,
	linktree: (n) => `https://linktr.ee/${n}`,
	meetup: (n) => `https://www.meetup.com/${n}/`,
	discord: (n) => `https://discord.gg/${n}`
};

function httpUrl(value: string): string | null {
	try {
		const u = new URL(value);
		return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.') ? u.toString() : null;
	} catch {
		return null;
	}
}

export function socialUrl(platform: SocialPlatformKey, typed: string): string | null {
	const value = typed.trim();
	if (!value) return null;
	if (/^https?:\/\//i.test(value)) return httpUrl(value);
	const fedi = FEDI.exec(value);
	if (fedi && (platform === 'mastodon' || platform === 'pixelfed' || platform === 'website')) {
		return `https://${fedi[2]!.toLowerCase()}/@${fedi[1]}`;
	}
	if (platform === 'reddit') {
		const sub = /^\/?(r|u)\/([A-Za-z0-9_-]{1,50})$/.exec(value);
		if (sub) return `https://www.reddit.com/${sub[1]}/${sub[2]}/`;
	}
	// A domain with a dot in it is an address typed without https:// (bluesky handles excepted).
	if (BARE_URL.test(value) && !(platform === 'bluesky' && HANDLE.test(value))) return httpUrl(`https://${value}`);
	const handle = HANDLE.exec(value);
	const profile = PROFILE[platform];
	if (handle && profile) return profile(handle[1]!);
	return null;
}
