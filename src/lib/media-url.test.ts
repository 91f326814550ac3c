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
