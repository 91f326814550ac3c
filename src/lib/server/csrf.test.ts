import { describe, expect, it } from 'vitest';
import { isCrossSiteFormPost } from './csrf';

const post = (origin: string | null, type = 'application/x-www-form-urlencoded', method = 'POST') =>
	new Request('http://ignored.invalid/x', {
		method,
		headers: { ...(origin !== null ? { origin } : {}), 'content-type': type },
		body: method === 'GET' ? undefined : 'a=1'
	});

describe('isCrossSiteFormPost', () => {
	it('accepts forms posted from the same host, whatever the scheme, port or letter case', () => {
		for (const origin of ['http://badmovies.example', 'https://badmovies.example', 'http://BadMovies.example:5173']) {
			expect(isCrossSiteFormPost(post(origin), 'badmovies.example'), origin).toBe(false);
		}
		expect(isCrossSiteFormPost(post('http://localhost:3000', 'multipart/form-data; boundary=x'), 'localhost')).toBe(false);
	});

	it('refuses forms from another host, a sibling subdomain, a null or missing origin', () => {
		for (const origin of [
			'http://evil.example',
			'https://a.hub.example',
			'https://hub.example.evil.example',
			'null',
			'file://x',
			'not a url'
		]) {
			expect(isCrossSiteFormPost(post(origin), 'hub.example'), origin).toBe(true);
		}
		expect(isCrossSiteFormPost(post(null), 'hub.example')).toBe(true);
		expect(isCrossSiteFormPost(post('http://evil.example', 'text/plain', 'DELETE'), 'hub.example')).toBe(true);
	});

	it('leaves non-form requests and safe methods alone', () => {
		expect(isCrossSiteFormPost(post('http://evil.example', 'application/json'), 'hub.example')).toBe(false);
		expect(isCrossSiteFormPost(post('http://evil.example', 'application/x-www-form-urlencoded', 'GET'), 'hub.example')).toBe(false);
	});
});
