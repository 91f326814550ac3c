import { describe, expect, it } from 'vitest';
import { bodyLimitWarning, parseBodySizeLimit } from './body-limit';

describe('BODY_SIZE_LIMIT', () => {
	it('reads adapter-node’s syntax', () => {
		expect(parseBodySizeLimit(undefined)).toBe(512 * 1024);
		expect(parseBodySizeLimit('16M')).toBe(16 * 1024 * 1024);
		expect(parseBodySizeLimit('1g')).toBe(1024 ** 3);
		expect(parseBodySizeLimit('2048')).toBe(2048);
		expect(parseBodySizeLimit('Infinity')).toBe(Infinity);
		expect(parseBodySizeLimit('lots')).toBeNaN();
	});

	it('warns when uploads of UPLOAD_MAX_BYTES would not fit', () => {
		const max = 15 * 1024 * 1024;
		expect(bodyLimitWarning('16M', max)).toBeNull();
		expect(bodyLimitWarning('Infinity', max)).toBeNull();
		expect(bodyLimitWarning(undefined, max)).toMatch(
			/^BODY_SIZE_LIMIT \(512K, the default\) is below UPLOAD_MAX_BYTES.*BODY_SIZE_LIMIT=16M/
		);
		expect(bodyLimitWarning('15M', max)).toMatch(/below/);
		expect(bodyLimitWarning('nonsense', max)).toMatch(/below/);
	});
});
