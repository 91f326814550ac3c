import { describe, expect, it } from 'vitest';
import { safeHref } from './safe-url';

describe('safeHref', () => {
	it('keeps web, mail and phone links and same-site paths', () => {
		expect(safeHref('https://tickets.example/a?b=c')).toBe('https://tickets.example/a?b=c');
		expect(safeHref('mailto:hi@example.org')).toBe('mailto:hi@example.org');
		expect(safeHref('tel:+4930123')).toBe('tel:+4930123');
		expect(safeHref('/events')).toBe('/events');
		expect(safeHref('#about')).toBe('#about');
	});

	it('drops script, data and protocol-relative links however they are disguised', () => {
		for (const bad of [
			'javascript:alert(1)',
			' JavaScript:alert(1)',
			'java\tscript:alert(1)',
			'java\nscript:x',
			'data:text/html,x',
			'vbscript:x',
			'//evil.example/',
			'/\\evil.example',
			'relative/path',
			'',
			null,
			undefined
		]) {
			expect(safeHref(bad), String(bad)).toBeNull();
		}
	});
});
