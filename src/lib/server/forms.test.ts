import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fields, formValues, isHttpUrl, parseForm, slugify } from './forms';

const fd = (entries: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
};

describe('parseForm', () => {
	const schema = z.object({ name: fields.required(10, 'Name'), url: fields.optionalUrl(), on: fields.checkbox() });

	it('returns typed data for valid input', () => {
		const r = parseForm(
			schema,
			fd([
				['name', '  Film club '],
				['url', ''],
				['on', 'on']
			])
		);
		expect(r).toEqual({ ok: true, data: { name: 'Film club', url: null, on: true } });
	});

	it('returns 400 with one error per field and the values kept', () => {
		const r = parseForm(
			schema,
			fd([
				['name', ''],
				['url', 'javascript:alert(1)'],
				['password', 'x']
			]),
			'settings'
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.failure.status).toBe(400);
		expect(r.failure.data.form).toBe('settings');
		expect(r.failure.data.errors).toEqual({ name: 'Name is required', url: 'Link must start with https:// or http://' });
		expect(r.failure.data.values).toEqual({ name: '', url: 'javascript:alert(1)' });
	});
});

describe('helpers', () => {
	it('formValues keeps repeated keys and drops secrets', () => {
		expect(
			formValues(
				fd([
					['a', '1'],
					['a', '2'],
					['token', 't']
				])
			)
		).toEqual({ a: ['1', '2'] });
	});
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
