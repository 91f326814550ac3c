import { describe, expect, it } from 'vitest';
import { socialUrl } from './social-handles';

describe('socialUrl', () => {
	it.each([
		['instagram', '@badmovies', 'https://www.instagram.com/badmovies/'],
		['instagram', 'badmovies', 'https://www.instagram.com/badmovies/'],
		['instagram', 'instagram.com/badmovies', 'https://instagram.com/badmovies'],
		['instagram', 'https://www.instagram.com/badmovies/', 'https://www.instagram.com/badmovies/'],
		['mastodon', '@films@mastodon.social', 'https://mastodon.social/@films'],
		['mastodon', 'films@Mastodon.Social', 'https://mastodon.social/@films'],
		['tiktok', '@zine', 'https://www.tiktok.com/@zine'],
		['bluesky', '@zine.bsky.social', 'https://bsky.app/profile/zine.bsky.social'],
		['bluesky', 'zine', 'https://bsky.app/profile/zine.bsky.social'],
		['reddit', 'r/cinema', 'https://www.reddit.com/r/cinema/'],
		['website', 'example.org/about', 'https://example.org/about'],
		['x', '@night_market', 'https://x.com/night_market']
	] as const)('%s %s → %s', (platform, typed, url) => {
		expect(socialUrl(platform, typed)).toBe(url);
	});

	it.each([
		['mastodon', 'films'],
		['website', 'just words'],
		['instagram', 'javascript:alert(1)'],
		['website', 'https://'],
		['spotify', '@someone']
	] as const)('%s %s → nothing usable', (platform, typed) => {
		expect(socialUrl(platform, typed)).toBeNull();
	});
});
