import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_PATH, isSafeReturnPath, safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
	it('keeps paths on the same host, with query and hash', () => {
		for (const p of ['/', '/admin', '/admin/events?page=2', '/invite/abc-DEF_123', '/events/x#tickets', '/%2F%2Fevil.example']) {
			expect(safeReturnPath(p)).toBe(p);
		}
		expect(safeReturnPath('/a/b/../c')).toBe('/a/c');
	});

	it('returns a path a Location header can carry: characters above U+007F percent-encoded', () => {
		expect(safeReturnPath('/∕x')).toBe('/%E2%88%95x');
		expect(safeReturnPath('/∕∕evil.example')).toBe('/%E2%88%95%E2%88%95evil.example');
		expect(safeReturnPath('/／／evil.example')).toBe('/%EF%BC%8F%EF%BC%8Fevil.example');
		expect(safeReturnPath('/admin?q=∕&x=é#Ā')).toBe('/admin?q=%E2%88%95&x=%C3%A9#%C4%80');
		expect(safeReturnPath('/événements')).toBe('/%C3%A9v%C3%A9nements');
		for (const p of ['/∕x', '/é', '/\u{1F600}', '/x?y=\u2028', '/a#\uFEFF', '/\uD800']) {
			const out = safeReturnPath(p);
			expect(out, p).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
			expect(() => new Headers({ location: out }), p).not.toThrow();
		}
	});

	it('falls back to the given path (the hub lands on its home page)', () => {
		expect(safeReturnPath('//evil.example', '/')).toBe('/');
		expect(safeReturnPath(undefined, '/')).toBe('/');
	});

	it('refuses anything that could leave the host', () => {
		for (const p of [
			'//evil.example',
			'//evil.example/admin',
			'/\\evil.example',
			'/\\/evil.example',
			'\\\\evil.example',
			'https://evil.example/admin',
			'http:evil.example',
			'javascript:alert(1)',
			'data:text/html,hi',
			'evil.example/admin',
			'admin',
			'/\t/evil.example',
			'/./\\evil.example',
			'/.//evil.example',
			'/a/..//evil.example',
			'https:/evil.example',
			'https:\\evil.example',
			'%2F%2Fevil.example',
			'%2f%5cevil.example',
			'/\n/evil.example',
			' /admin',
			'',
			'/' + 'a'.repeat(3000)
		]) {
			expect(isSafeReturnPath(p), p).toBe(false);
			expect(safeReturnPath(p)).toBe(DEFAULT_RETURN_PATH);
		}
	});

	it('refuses non-strings', () => {
		for (const p of [undefined, null, 42, ['/admin'], { path: '/admin' }]) expect(safeReturnPath(p)).toBe(DEFAULT_RETURN_PATH);
	});
});
