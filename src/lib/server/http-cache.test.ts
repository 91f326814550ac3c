import { describe, expect, it } from 'vitest';
import { etagOf, matchesIfNoneMatch } from './http-cache';

describe('conditional requests', () => {
	const etag = etagOf(new TextEncoder().encode('hello'));

	it('derives a weak ETag from the body', () => {
		expect(etag).toMatch(/^W\/"[\w-]+"$/);
		expect(etagOf(new TextEncoder().encode('hello!'))).not.toBe(etag);
	});

	it('matches If-None-Match lists weakly, and *', () => {
		expect(matchesIfNoneMatch(etag, etag)).toBe(true);
		expect(matchesIfNoneMatch(etag.slice(2), etag)).toBe(true);
		expect(matchesIfNoneMatch(`"other", ${etag}`, etag)).toBe(true);
		expect(matchesIfNoneMatch('*', etag)).toBe(true);
		expect(matchesIfNoneMatch('"other"', etag)).toBe(false);
		expect(matchesIfNoneMatch(null, etag)).toBe(false);
	});
});
