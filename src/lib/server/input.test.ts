import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fields, isHttpUrl, parseInput, slugify } from './input';
import { AppError } from './errors';

describe('parseInput', () => {
	const schema = z.object({ name: fields.required(10, 'Name'), url: fields.optionalUrl(), on: fields.checkbox() });

	it('returns typed data for valid input', () => {
		expect(parseInput(schema, { name: '  Film club ', url: '', on: 'on' })).toEqual({ name: 'Film club', url: null, on: true });
	});

	it('throws AppError invalid (400) with one message per field', () => {
		let caught: unknown;
		try {
			parseInput(schema, { name: '', url: 'javascript:alert(1)' });
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(AppError);
		const e = caught as AppError;
		expect(e.code).toBe('invalid');
		expect(e.status).toBe(400);
		expect(e.fields).toEqual({ name: 'Name is required', url: 'Link must start with https:// or http://' });
	});

	it('an id that is not a UUID reads as not found in the field message', () => {
		expect(() => parseInput(z.object({ id: fields.id('Event') }), { id: '0'.repeat(36) })).toThrow(AppError);
	});
});

describe('helpers', () => {
	it('isHttpUrl accepts only http(s) URLs with a host', () => {
		expect(isHttpUrl('https://example.org/x')).toBe(true);
		expect(isHttpUrl('javascript:alert(1)')).toBe(false);
		expect(isHttpUrl('data:text/html,x')).toBe(false);
		expect(isHttpUrl('/relative')).toBe(false);
	});
	it('slugify makes readable slugs', () => {
		expect(slugify('Troll 2: the Sing-Along!')).toBe('troll-2-the-sing-along');
		expect(slugify('Café Ölüdeniz')).toBe('cafe-oludeniz');
		expect(slugify('!!!')).toBe('item');
	});
});
