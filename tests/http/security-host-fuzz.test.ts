/**
 * Host header fuzz over real HTTP (raw sockets, so anything can be sent): 10,000 random and
 * adversarial Host headers — unicode, IDN, ports, dots, very long, empty, missing, duplicated,
 * control characters, userinfo, IP literals, percent-encoding, real site names with junk around
 * them. Not one answer may be a 5xx, and no answer may carry a site's content unless the header
 * names that site (a real hostname in another case, with a port or a trailing dot).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { parseHost } from '../../src/lib/server/hosts/parse-host';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite } from '../support/factories';
import { startHub, type HubServer } from '../support/server';

const TOTAL = 10_000;
const SITES = [
	{ host: 'fuzz-alpha.example', marker: 'FUZZMARK-ALPHA' },
	{ host: 'fuzzbeta.hub.test', marker: 'FUZZMARK-BETA' }
];

/** xorshift32: random but the same run after run, so a failure can be replayed. */
function rng(seed: number) {
	let x = seed;
	return () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return (x >>> 0) / 0x1_0000_0000;
	};
}

function hostHeaders(count: number): (string | null | string[])[] {
	const r = rng(0x5eed1234);
	const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
	const real = SITES.map((s) => s.host);
	const junk = [
		'',
		'.',
		'..',
		':',
		'::',
		'@',
		'%2e',
		'%00',
		' ',
		'\t',
		'*',
		'\\',
		'/',
		'#',
		'?',
		'ä',
		'Ⓐ',
		'🎬',
		'xn--',
		'-',
		'_',
		'[',
		']',
		'ſ',
		'İ',
		'\u200b',
		'\u0130'
	];
	const makers: (() => string | null | string[])[] = [
		() => pick(real),
		() => pick(real).toUpperCase(),
		() => `${pick(real)}.`,
		() => `${pick(real)}:${Math.floor(r() * 70000)}`,
		() => `${pick(real)}:80:80`,
		() => `evil.${pick(real)}`,
		() => `${pick(real)}.evil.example`,
		() => `${pick(real)}@evil.example`,
		() => `evil.example@${pick(real)}`,
		() => `${pick(real)}${pick(junk)}`,
		() => `${pick(junk)}${pick(real)}`,
		() => pick(real).replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
		() => pick(real).replace('a', 'а'), // Cyrillic a
		() => `${'a'.repeat(1 + Math.floor(r() * 300))}.example`,
		() => `${'x'.repeat(64)}.example`,
		() => Array.from({ length: 1 + Math.floor(r() * 150) }, () => 'a').join('.'),
		() => `${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
		() => pick(['[::1]', '[::ffff:127.0.0.1]', '0x7f000001', '2130706433', '127.1', '[fe80::1%25eth0]', 'localhost', 'LOCALHOST.']),
		() => Array.from({ length: 1 + Math.floor(r() * 20) }, () => pick(junk)).join(''),
		() => Array.from({ length: 1 + Math.floor(r() * 40) }, () => String.fromCharCode(Math.floor(r() * 0x2fff))).join(''),
		() => String.fromCharCode(...Array.from({ length: 1 + Math.floor(r() * 12) }, () => 1 + Math.floor(r() * 31))),
		() => null, // no Host header at all
		() => [pick(real), `evil.example`], // two Host headers
		() => [pick(real), pick(real)]
	];
	return Array.from({ length: count }, () => pick(makers)());
}

/** One raw HTTP/1.1 request; resolves with the status and the body (or status 0 if the server just closed). */
function rawRequest(port: number, host: string | null | string[]): Promise<{ status: number; body: string }> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		const lines = ['GET / HTTP/1.1'];
		for (const h of host === null ? [] : [host].flat()) lines.push(`Host: ${h}`);
		lines.push('Connection: close', '', '');
		socket.setTimeout(10_000, () => socket.destroy());
		socket.on('connect', () => socket.end(Buffer.from(lines.join('\r\n'), 'latin1')));
		socket.on('data', (c) => chunks.push(c));
		socket.on('error', () => {});
		socket.on('close', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), body: text });
		});
	});
}

describe.runIf(inject('templateDatabase'))('Host header fuzz over HTTP', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;

	beforeAll(async () => {
		const alpha = await createSite({ name: 'FUZZMARK-ALPHA', slug: 'fuzz-alpha' });
		await setPrimaryDomain(alpha.id, (await createDomain(alpha.id, 'fuzz-alpha.example')).id);
		await createSite({ name: 'FUZZMARK-BETA', slug: 'fuzzbeta' });
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, LOG_LEVEL: 'error' } });
	}, 60_000);
	afterAll(() => hub?.stop());

	it(
		`answers ${TOTAL.toLocaleString('en')} hostile Host headers without a 5xx or another site's content`,
		{ timeout: 120_000 },
		async () => {
			const headers = hostHeaders(TOTAL);
			const statuses = new Map<number, number>();
			const problems: string[] = [];
			let next = 0;
			await Promise.all(
				Array.from({ length: 16 }, async () => {
					for (let i = next++; i < headers.length; i = next++) {
						const host = headers[i]!;
						const { status, body } = await rawRequest(hub.port, host);
						statuses.set(status, (statuses.get(status) ?? 0) + 1);
						const label = JSON.stringify(host).slice(0, 120);
						if (status >= 500) problems.push(`${status} for ${label}`);
						// The one site the header legitimately names, if any: a single Host that parses to it
						// (spaces and tabs around a header value are not part of it, RFC 9110 §5.5).
						const named = typeof host === 'string' ? parseHost(host.replace(/^[ \t]+|[ \t]+$/g, '')) : null;
						for (const s of SITES) if (body.includes(s.marker) && named !== s.host) problems.push(`${s.marker} shown for ${label}`);
					}
				})
			);
			// 0 = Node's HTTP parser closed the connection without an answer (e.g. control characters).
			console.log('host fuzz statuses:', JSON.stringify(Object.fromEntries(statuses)));
			expect(problems.slice(0, 20)).toEqual([]);
			expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
			// Real names still work after the flood.
			expect((await rawRequest(hub.port, 'fuzz-alpha.example')).body).toContain('FUZZMARK-ALPHA');
		}
	);
});
