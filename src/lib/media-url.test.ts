import { describe, expect, it } from 'vitest';
import { imageSource, largestVariantUrl } from './media-url';

const image = { cdnKey: 'sites/club/event/abc', variants: [1600, 960, 480], width: 3200, height: 2000, altText: 'A crowd' };

describe('imageSource', () => {
	it('builds src and srcset from the key and widths', () => {
		const s = imageSource('https://cdn.example/', image, 900);
		expect(s.src).toBe('https://cdn.example/sites/club/event/abc-960.webp');
		expect(s.srcset).toBe(
			'https://cdn.example/sites/club/event/abc-480.webp 480w, https://cdn.example/sites/club/event/abc-960.webp 960w, https://cdn.example/sites/club/event/abc-1600.webp 1600w'
		);
		expect([s.width, s.height, s.alt]).toEqual([960, 600, 'A crowd']);
	});

	it('falls back to the largest variant and works with the local /media/ base', () => {
		expect(imageSource('/media/', image, 4000).src).toBe('/media/sites/club/event/abc-1600.webp');
		expect(largestVariantUrl('/media/', image)).toBe('/media/sites/club/event/abc-1600.webp');
	});
});

describe('the organiser’s framing', () => {
	it('gives a preset’s ratio, the image’s own for the whole image, none for the default or an unknown value', () => {
		const ratio = (frame?: string) => imageSource('/media/', { ...image, frame }, 480).ratio;
		expect(ratio('poster')).toBe(0.8);
		expect(ratio('square')).toBe(1);
		expect(ratio('wide')).toBeCloseTo(16 / 9);
		expect(ratio('original')).toBe(3200 / 2000);
		expect([ratio(''), ratio(undefined), ratio('banner'), ratio('whole')]).toEqual([null, null, null, null]);
		expect(imageSource('/media/', { ...image, frame: 'whole', focalX: 10, focalY: 90 }, 480)).toMatchObject({
			frame: 'whole',
			position: '10% 90%'
		});
	});
});
