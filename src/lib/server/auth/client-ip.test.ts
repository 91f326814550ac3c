import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip';

const event = (xff?: string) => ({
	request: new Request('http://x.invalid/', { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }),
	getClientAddress: () => '10.0.0.7'
});

describe('clientIp', () => {
	it('uses the socket address and ignores X-Forwarded-For unless TRUST_PROXY', () => {
		expect(clientIp(event('203.0.113.9'), false)).toBe('10.0.0.7');
		expect(clientIp(event(), true)).toBe('10.0.0.7');
	});

	it('behind our proxy takes the hop it appended (the last), not what the client wrote first', () => {
		expect(clientIp(event('198.51.100.1, 203.0.113.9'), true)).toBe('203.0.113.9');
		expect(clientIp(event('2001:db8::1'), true)).toBe('2001:db8::1');
		expect(clientIp(event('198.51.100.1, not-an-ip'), true)).toBe('10.0.0.7');
	});
});
