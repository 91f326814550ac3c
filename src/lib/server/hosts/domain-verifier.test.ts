/**
 * The domain check against small loopback servers standing in for "the domain": the token
 * accepted, everything else refused with a reason that never repeats what the other side said;
 * no redirect followed, size and time bounded; without the test override, a name that resolves to
 * a private address is never connected to.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '../env';
import { httpVerifier, isPublicAddress, problemText, storedProblem, storedProblemText, type VerifyProblem } from './domain-verifier';
import { withLocale } from '../i18n';
import { locales } from '../../i18n';
import { englishPieces } from '../../../../tests/support/catalogue';

const TOKEN = 'tok_abcdefghijklmnopqrstuvwx';
let handler: (path: string, host: string, res: ServerResponse) => void = () => {};
let server: Server;
let hits = 0;

beforeAll(async () => {
	server = createServer((req, res) => {
		hits++;
		handler(req.url ?? '', req.headers.host ?? '', res);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	process.env.DOMAIN_VERIFY_CONNECT = `127.0.0.1:${(server.address() as AddressInfo).port}`;
	resetEnvForTests();
});
afterAll(() => {
	delete process.env.DOMAIN_VERIFY_CONNECT;
	resetEnvForTests();
	server.closeAllConnections();
	server.close();
});
afterEach(() => {
	handler = () => {};
});

describe('httpVerifier', () => {
	it('accepts the token served at the well-known path, asked with the domain as Host', async () => {
		let seen = { path: '', host: '' };
		handler = (path, host, res) => {
			seen = { path, host };
			res.end(TOKEN);
		};
		expect(await httpVerifier.check('films.example', TOKEN)).toEqual({ ok: true });
		expect(seen).toEqual({ path: `/.well-known/collective-hub/${TOKEN}`, host: 'films.example' });
	});

	it('refuses another body without echoing it', async () => {
		handler = (_p, _h, res) => res.end('secret-internal-banner');
		const r = await httpVerifier.check('films.example', TOKEN);
		expect(r).toEqual({ ok: false, problem: { code: 'not_here' } });
		expect(JSON.stringify(r)).not.toContain('secret-internal-banner');
	});

	it('does not follow a redirect, even to a page that would answer the token', async () => {
		let requests = 0;
		handler = (path, _h, res) => {
			requests++;
			if (path.startsWith('/moved')) return res.end(TOKEN);
			res.writeHead(302, { location: '/moved' + path }).end();
		};
		const r = await httpVerifier.check('films.example', TOKEN);
		expect(r).toEqual({ ok: false, problem: { code: 'redirects' } });
		expect(requests).toBe(1);
	});

	it('refuses a non-200 answer and stops reading a large body', async () => {
		handler = (_p, _h, res) => res.writeHead(404).end('nope');
		expect(await httpVerifier.check('films.example', TOKEN)).toEqual({ ok: false, problem: { code: 'status', status: 404 } });
		handler = (_p, _h, res) => {
			res.write(TOKEN);
			res.end('x'.repeat(64 * 1024));
		};
		expect((await httpVerifier.check('films.example', TOKEN)).ok).toBe(false);
	});

	it('gives up after the deadline when the other side trickles', async () => {
		handler = (_p, _h, res) => {
			res.writeHead(200);
			const timer = setInterval(() => res.write('.'), 200);
			res.on('close', () => clearInterval(timer));
		};
		const started = Date.now();
		const r = await httpVerifier.check('films.example', TOKEN);
		expect(r).toEqual({ ok: false, problem: { code: 'timeout' } });
		expect(Date.now() - started).toBeLessThan(7000);
	}, 10_000);

	it('never connects to a private address when it checks for real (no override)', async () => {
		const override = process.env.DOMAIN_VERIFY_CONNECT;
		delete process.env.DOMAIN_VERIFY_CONNECT;
		resetEnvForTests();
		try {
			const before = hits;
			// localhost resolves to loopback, as a hostile DNS record pointing inside could.
			const r = await httpVerifier.check('localhost', TOKEN);
			expect(r).toEqual({ ok: false, problem: { code: 'private' } });
			expect(hits).toBe(before);
		} finally {
			process.env.DOMAIN_VERIFY_CONNECT = override;
			resetEnvForTests();
		}
	});
});

describe('isPublicAddress', () => {
	it.each([
		['203.0.113.7', true],
		['8.8.8.8', true],
		['2001:db8::1', true],
		['127.0.0.1', false],
		['10.1.2.3', false],
		['172.20.0.1', false],
		['192.168.1.1', false],
		['169.254.169.254', false],
		['100.64.0.1', false],
		['0.0.0.0', false],
		['::1', false],
		['fd00::1', false],
		['fe80::1', false],
		['::ffff:127.0.0.1', false],
		['not-an-ip', false]
	])('%s → %s', (address, expected) => {
		expect(isPublicAddress(address)).toBe(expected);
	});
});

describe('why a check failed, kept as a code and read in each language', () => {
	const PROBLEMS: VerifyProblem[] = [
		...(['no_dns', 'private', 'timeout', 'unreachable', 'not_here', 'redirects', 'txt_missing', 'txt_none', 'dns_silent'] as const).map(
			(code) => ({ code })
		),
		{ code: 'status', status: 503 }
	];

	it.each(locales.filter((l) => l !== 'en'))('a stored problem reads in %s, with no English', (locale) => {
		const english = englishPieces('site-admin/', locale);
		for (const problem of PROBLEMS) {
			const text = withLocale(locale, () => storedProblemText('films.example', storedProblem(problem)))!;
			expect(text).toBe(withLocale(locale, () => problemText('films.example', problem)));
			expect(text).toContain(
				problem.code.startsWith('txt') || problem.code === 'dns_silent' ? '_collective-hub.films.example' : 'films.example'
			);
			expect(
				english.filter((piece) => text.includes(piece)),
				text
			).toEqual([]);
		}
		expect(withLocale(locale, () => storedProblemText('films.example', storedProblem({ code: 'status', status: 503 })))).toContain('503');
	});

	it('an older row’s sentence is shown as it is; none is none', () => {
		expect(storedProblemText('films.example', 'films.example does not point to this platform yet')).toBe(
			'films.example does not point to this platform yet'
		);
		expect(storedProblemText('films.example', '{"code":"nonsense"}')).toBe('{"code":"nonsense"}');
		expect(storedProblemText('films.example', null)).toBeNull();
	});
});
