import { describe, expect, it } from 'vitest';
import { isLocalHost, isValidCustomDomain, parseHost } from './parse-host';

/** [raw Host header, expected normalized host or null] */
const CASES: [string | null | undefined, string | null][] = [
	// Plain names, case, ports, trailing dots
	['example.com', 'example.com'],
	['Example.COM', 'example.com'],
	['EXAMPLE.COM:443', 'example.com'],
	['example.com:8080', 'example.com'],
	['example.com:1', 'example.com'],
	['example.com:65535', 'example.com'],
	['example.com:00080', 'example.com'],
	['example.com:', 'example.com'],
	['example.com.', 'example.com'],
	['example.com.:3000', 'example.com'],
	['HUB.TEST.', 'hub.test'],
	['example.com..', null],
	['.example.com', null],
	['a..b.example', null],
	['.', null],
	['..', null],
	['sub.domain.example.co.uk', 'sub.domain.example.co.uk'],
	['a-b.example', 'a-b.example'],
	['ab--cd.example', 'ab--cd.example'],
	['1password.com', '1password.com'],
	['intranet', 'intranet'],
	['localhost', 'localhost'],
	['LOCALHOST:5173', 'localhost'],
	['bad-movies.localhost:3000', 'bad-movies.localhost'],
	['-a.example', null],
	['a-.example', null],
	['ex_ample.com', null],
	['example.com/', null],
	['example.com/path', null],
	['example.com?x', null],
	['example.com#frag', null],
	['example.com\\', null],
	// Ports: bad and multiple
	['example.com:0', null],
	['example.com:65536', null],
	['example.com:123456', null],
	['example.com:80:80', null],
	['example.com:8o', null],
	['example.com:+80', null],
	['example.com: 80', null],
	[':80', null],
	// Unicode / IDN → punycode
	['bücher.example', 'xn--bcher-kva.example'],
	['BÜCHER.example', 'xn--bcher-kva.example'],
	['xn--bcher-kva.example', 'xn--bcher-kva.example'],
	['XN--BCHER-KVA.EXAMPLE', 'xn--bcher-kva.example'],
	['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
	['例え.テスト:8443', 'xn--r8jz45g.xn--zckzah'],
	['☃.net', 'xn--n3h.net'],
	['faß.de', 'xn--fa-hia.de'],
	['ｅｘａｍｐｌｅ.com', 'example.com'],
	['example。com', 'example.com'],
	['bücher.example.', 'xn--bcher-kva.example'],
	['xn--zz.example', null],
	['xn--a.example', null],
	['xn--.example', null],
	['a\u200db.com', null],
	['a\ud800b.com', null],
	// IPv4: only loopback, in any spelling the URL parser accepts
	['127.0.0.1', '127.0.0.1'],
	['127.0.0.1:3000', '127.0.0.1'],
	['127.0.0.1.', '127.0.0.1'],
	['127.1', '127.0.0.1'],
	['0x7f.0.0.1', '127.0.0.1'],
	['0x7f000001', '127.0.0.1'],
	['2130706433', '127.0.0.1'],
	['017700000001', '127.0.0.1'],
	['１２７.0.0.1', '127.0.0.1'],
	['127.0.0.2', null],
	['10.0.0.5', null],
	['10.0.0.5:3000', null],
	['192.168.1.1', null],
	['0.0.0.0', null],
	['256.1.1.1', null],
	['1.2.3', null],
	['0x', null],
	['example.123', null],
	['example.0x1f', null],
	// IPv6: only loopback, any spelling
	['[::1]', '[::1]'],
	['[::1]:3000', '[::1]'],
	['[::1]:', '[::1]'],
	['[0:0:0:0:0:0:0:1]', '[::1]'],
	['[0000:0000:0000:0000:0000:0000:0000:0001]', '[::1]'],
	['[0::1]', '[::1]'],
	['[::0:1]', '[::1]'],
	['[::]', null],
	['[2001:db8::1]', null],
	['[2001:db8::1]:443', null],
	['[::ffff:127.0.0.1]', null],
	['[::1%25eth0]', null],
	['[::1]:0', null],
	['[::1]:99999', null],
	['[::1]:80:80', null],
	['[::1]x', null],
	['[::1', null],
	['::1', null],
	['::1]', null],
	['[[::1]]', null],
	['[example.com]', null],
	['a[::1]', null],
	// Garbage, credentials, whitespace, controls, size
	[null, null],
	[undefined, null],
	['', null],
	[' ', null],
	['example.com ', null],
	[' example.com', null],
	['exa mple.com', null],
	['example.com\t', null],
	['example.com\r\nX-Injected: 1', null],
	['example.com\0', null],
	['user@example.com', null],
	['user:pass@example.com', null],
	['@example.com', null],
	['example.com@evil.example', null],
	['example.com,evil.example', null],
	['example.com;evil', null],
	['%65xample.com', null],
	['exa%2Emple.com', null],
	['"example.com"', null],
	['<script>', null],
	['*.example.com', null],
	['exam!ple.com', null],
	['a'.repeat(63) + '.example', 'a'.repeat(63) + '.example'],
	['a'.repeat(64) + '.example', null],
	[
		`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
		`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`
	],
	[`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, null],
	['x'.repeat(10_000), null],
	['a.'.repeat(200) + 'com', null],
	['ü'.repeat(70) + '.example', null]
];

describe('parseHost', () => {
	it(`has a table of at least 60 cases (${CASES.length})`, () => {
		expect(CASES.length).toBeGreaterThanOrEqual(60);
	});

	it.each(CASES)('%j → %j', (raw, expected) => {
		expect(parseHost(raw)).toBe(expected);
	});
});

describe('isLocalHost', () => {
	it.each([
		['localhost', true],
		['127.0.0.1', true],
		['[::1]', true],
		['bad-movies.localhost', true],
		['a.b.localhost', true],
		['localhost.example', false],
		['notlocalhost', false],
		['hub.test', false]
	])('%s → %s', (host, local) => {
		expect(isLocalHost(host)).toBe(local);
	});
});

describe('isValidCustomDomain', () => {
	it.each([
		['films.example', true],
		['www.films.example', true],
		['x.hub.example', true],
		['hub.example', false],
		['intranet', false],
		['localhost', false],
		['films.localhost', false],
		['127.0.0.1', false],
		['[::1]', false]
	])('%s → %s', (host, ok) => {
		expect(isValidCustomDomain(parseHost(host), 'hub.example')).toBe(ok);
	});

	it('refuses what parseHost refused', () => {
		expect(isValidCustomDomain(parseHost('bad host.example'))).toBe(false);
	});
});

// ---- Property test: random and adversarial Host headers ----

/** mulberry32: small, seeded, good enough to make fuzz failures reproducible. */
function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed4);
const PIECES = [
	'a',
	'z',
	'A',
	'Z',
	'0',
	'9',
	'-',
	'.',
	'..',
	':',
	'::',
	'[',
	']',
	'@',
	' ',
	'\t',
	'%',
	'%2e',
	'_',
	'/',
	'\\',
	'?',
	'#',
	',',
	'*',
	'ü',
	'ß',
	'例',
	'。',
	'．',
	'\u200d',
	'\u00ad',
	'\ud800',
	'\udfff',
	'💩',
	'\0',
	'\x7f',
	'xn--',
	'xn--bcher-kva',
	'localhost',
	'127',
	'0x7f',
	'::1',
	'443',
	'65536',
	'hub',
	'test',
	'example',
	'com'
];

function randomHeader(rand: () => number): string {
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
	const mode = rand();
	if (mode < 0.3) {
		// Plausible hostnames with mutations: mostly valid, sometimes not.
		const labels = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
			const len = rand() < 0.05 ? 60 + Math.floor(rand() * 10) : 1 + Math.floor(rand() * 12);
			return Array.from({ length: len }, () => pick('abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-üé例'.split(''))).join('');
		});
		let host = labels.join('.');
		if (rand() < 0.2) host += '.';
		if (rand() < 0.3) host += ':' + pick(['80', '3000', '65535', '0', '65536', '', '8o', '80:80']);
		return host;
	}
	if (mode < 0.45) {
		// IP-ish.
		const parts = Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
			pick(['127', '0', '1', '255', '256', '0x7f', '010', '4294967295', ''])
		);
		const v6 = Array.from({ length: 1 + Math.floor(rand() * 9) }, () => pick(['', '0', '1', 'ffff', 'db8', '2001', '7f00']));
		return rand() < 0.5 ? parts.join('.') : `[${v6.join(':')}]` + (rand() < 0.3 ? ':' + pick(['1', '0', '']) : '');
	}
	if (mode < 0.8) {
		// Concatenated pieces.
		return Array.from({ length: Math.floor(rand() * 12) }, () => pick(PIECES)).join('');
	}
	// Raw random code units, any length up to 300.
	const len = Math.floor(rand() * (rand() < 0.1 ? 300 : 30));
	return Array.from({ length: len }, () => {
		const r = rand();
		if (r < 0.7) return String.fromCharCode(32 + Math.floor(rand() * 95));
		if (r < 0.8) return String.fromCharCode(Math.floor(rand() * 32));
		return String.fromCharCode(Math.floor(rand() * 0x10000));
	}).join('');
}

/**
 * A hostname in our normal form, checked without parseHost's code: RFC 1123 labels in
 * lowercase, at most 253 characters, not ending in a numeric label; or one of the two loopback
 * literals.
 */
function isNormalHostname(h: string): boolean {
	if (h === '127.0.0.1' || h === '[::1]') return true;
	if (h.length < 1 || h.length > 253) return false;
	const labels = h.split('.');
	if (/^[0-9]+$/.test(labels[labels.length - 1]!) || /^0x[0-9a-f]*$/.test(labels[labels.length - 1]!)) return false;
	return labels.every((l) => l.length >= 1 && l.length <= 63 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(l));
}

describe('parseHost on 10,000 random headers', () => {
	it(`never throws and returns null or a normal hostname that URL parsing agrees with (seed ${SEED})`, () => {
		const rand = prng(SEED);
		let accepted = 0;
		for (let i = 0; i < 10_000; i++) {
			const raw = randomHeader(rand);
			let result: string | null;
			try {
				result = parseHost(raw);
			} catch (error) {
				throw new Error(`parseHost threw on case ${i} ${JSON.stringify(raw)} (FUZZ_SEED=${SEED}): ${error}`, { cause: error });
			}
			if (result === null) continue;
			accepted++;
			expect(isNormalHostname(result), `case ${i}: ${JSON.stringify(raw)} → ${JSON.stringify(result)}`).toBe(true);
			// adapter-node builds event.url from the same header: the URL parser must read the
			// same host (it keeps a trailing dot), or hub/site routing could disagree with us.
			const urlHost = new URL(`http://${raw}/`).hostname.replace(/\.$/, '');
			expect(urlHost, `case ${i}: ${JSON.stringify(raw)}`).toBe(result);
			// Normal form is a fixed point.
			expect(parseHost(result)).toBe(result);
		}
		// The generator must exercise both outcomes, or the property says little.
		expect(accepted).toBeGreaterThan(1_000);
		expect(accepted).toBeLessThan(9_000);
	});
});
