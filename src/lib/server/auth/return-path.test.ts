import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_PATH, isSafeReturnPath, safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
	it('keeps paths on the same host, with query and hash', () => {
		for (const p of ['/', '/admin', '/admin/events?page=2', '/invite/abc-DEF_123', '/events/x#tickets', '/a/b/../c']) {
			expect(safeReturnPath(p)).toBe(p);
		}
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
