import { describe, expect, it } from 'vitest';
import { chipText, contrastRatio } from './tag-colors';

describe('tag chip colours', () => {
	it('picks the text colour with the higher contrast, at least 4.5:1', () => {
		for (const bg of ['#ffff00', '#1f6feb', '#777777', '#ff0000', '#00ff00', '#000080', '#ffffff', '#000000', '#808080', '#e91e63']) {
			const fg = chipText(bg);
			expect(contrastRatio(bg, fg), bg).toBeGreaterThanOrEqual(4.5);
		}
		expect(chipText('#ffff00')).toBe('#000000');
		expect(chipText('#000080')).toBe('#ffffff');
	});
});
