import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '../env';
import { absoluteMediaUrl, imageAttrs, imageSrc, imageSrcset, mediaUrl } from './urls';
import { parseMediaKey } from './keys';

const image = {
	cdnKey: 'sites/film-club/event/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f',
	variants: [1600, 960, 480],
	width: 1600,
	height: 900,
	altText: 'A crowded cinema'
};

function withCdn(value: string | undefined) {
	if (value === undefined) delete process.env.CDN_BASE_URL;
	else process.env.CDN_BASE_URL = value;
	resetEnvForTests();
}

afterEach(() => withCdn(undefined));

describe('media URLs', () => {
	it('are served by the app under /media/ without CDN_BASE_URL', () => {
		withCdn(undefined);
		expect(mediaUrl('sites/a/logo/x-1.webp')).toBe('/media/sites/a/logo/x-1.webp');
		expect(absoluteMediaUrl('sites/a/logo/x-1.webp', 'https://film.example')).toBe('https://film.example/media/sites/a/logo/x-1.webp');
	});

	it('are CDN_BASE_URL + key with a CDN, with or without a trailing slash or a path', () => {
		withCdn('https://cdn.example');
		expect(mediaUrl('sites/a/logo/x-1.webp')).toBe('https://cdn.example/sites/a/logo/x-1.webp');
		withCdn('https://cdn.example/hub-media');
		expect(mediaUrl('sites/a/logo/x-1.webp')).toBe('https://cdn.example/hub-media/sites/a/logo/x-1.webp');
		expect(absoluteMediaUrl('sites/a/logo/x-1.webp', 'https://film.example')).toBe('https://cdn.example/hub-media/sites/a/logo/x-1.webp');
	});

	it('build src, srcset and img attributes from the variants', () => {
		withCdn(undefined);
		const base = `/media/${image.cdnKey}`;
		expect(imageSrcset(image)).toBe(`${base}-1600.webp 1600w, ${base}-960.webp 960w, ${base}-480.webp 480w`);
		expect(imageSrc(image)).toBe(`${base}-1600.webp`);
		expect(imageSrc(image, 500)).toBe(`${base}-960.webp`);
		expect(imageSrc(image, 3000)).toBe(`${base}-1600.webp`);
		expect(imageAttrs(image, { sizes: '50vw' })).toEqual({
			src: `${base}-960.webp`,
			srcset: imageSrcset(image),
			sizes: '50vw',
			width: 1600,
			height: 900,
			alt: 'A crowded cinema'
		});
		// Every URL built is a key the /media route accepts.
		for (const w of image.variants) expect(parseMediaKey(`${image.cdnKey}-${w}.webp`)).not.toBeNull();
	});
});

describe('parseMediaKey', () => {
	it.each([
		'sites/a/logo/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-0.webp',
		'sites/a/other/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-10.webp',
		'sites/../logo/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-10.webp',
		'sites/a/logo/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-10.webp/..',
		'/sites/a/logo/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-10.webp',
		'sites/A/logo/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-10.webp',
		'sites/a/logo/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-10.png',
		'../../etc/passwd'
	])('refuses %s', (key) => {
		expect(parseMediaKey(key)).toBeNull();
	});

	it('reads a variant key', () => {
		expect(parseMediaKey('sites/film-club/event/0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f-960.webp')).toEqual({
			slug: 'film-club',
			kind: 'event',
			assetId: '0b5c4c1e-4d7a-4a4e-9a55-6f1e1c2d3e4f',
			width: 960
		});
	});
});
