/**
 * Proving that a custom domain points at this platform before it serves a site: fetch
 * `http://<domain>/.well-known/collective-hub/<token>` and expect the token back. While the domain
 * is pending, this app answers that path with the token (sites/handle.ts), so the check succeeds
 * exactly when DNS (and the proxy) route the domain here.
 *
 * Plain HTTP on purpose: TLS for the domain cannot exist before it is verified (Caddy asks us).
 * The check is a request our server makes to a name a site admin typed, so it is kept small and
 * blind: 5 s in all, 1 KiB read, no redirect followed (a redirect elsewhere proves nothing), only
 * public addresses connected to (the DNS answer is checked and then used, so it cannot change in
 * between), and the reason shown to the admin never echoes what the other side said.
 */
import { request } from 'node:http';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { env } from '../env';
import { VERIFICATION_PATH } from './handle';
import { m } from '../../paraglide/messages';

/**
 * Why a check failed, as a code: the background checks run outside any request and store it
 * (`lastCheckError`), and each reader gets it in their own language (problemText).
 */
export type VerifyProblem =
	| { code: 'no_dns' | 'private' | 'timeout' | 'unreachable' | 'not_here' | 'redirects' | 'txt_missing' | 'txt_none' | 'dns_silent' }
	| { code: 'status'; status: number };
export type VerifyResult = { ok: true } | { ok: false; problem: VerifyProblem };

export interface DomainVerifier {
	/** The HTTP check: DNS of `hostname` routes to this platform. */
	check(hostname: string, token: string): Promise<VerifyResult>;
	/** The ownership check: `_collective-hub.<hostname>` has a TXT record with the token. */
	checkTxt(hostname: string, token: string): Promise<VerifyResult>;
}

/** Where the ownership record lives, and what it says (shown on the Domains screen). */
export const TXT_PREFIX = '_collective-hub';
export const txtRecordName = (hostname: string) => `${TXT_PREFIX}.${hostname}`;
export const txtRecordValue = (token: string) => `collective-hub-verify=${token}`;

const TIMEOUT_MS = 5000;
const MAX_BYTES = 1024;

/** Addresses a public domain has no business pointing at: loopback, private, link-local, CGNAT... */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 3]
] as const) {
	NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8]
] as const) {
	NOT_PUBLIC.addSubnet(net, bits, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) return false;
	// IPv4-mapped IPv6 (::ffff:a.b.c.d) is no real DNS answer; BlockList would match it against
	// the IPv4 rules only partly, so refuse it outright.
	if (family === 6 && /^::ffff:/i.test(address)) return false;
	return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

class NotPublicError extends Error {
	code = 'ENOTPUBLIC';
}

/** DNS lookup for the check's connection: the first public address, or an error. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
	dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
		if (err) return callback(err, '', 0);
		const usable = addresses.find((a) => isPublicAddress(a.address));
		if (!usable) return callback(new NotPublicError(`${hostname} resolves only to non-public addresses`), '', 0);
		if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [usable]);
		callback(null, usable.address, usable.family);
	});
};

/** The problem in the reader's language; `hostname` is the domain checked (the TXT name follows from it). */
export function problemText(hostname: string, problem: VerifyProblem): string {
	const host = hostname;
	const name = txtRecordName(hostname);
	switch (problem.code) {
		case 'no_dns':
			return m.site_admin_verify_no_dns({ host });
		case 'private':
			return m.site_admin_verify_private({ host });
		case 'timeout':
			return m.site_admin_verify_timeout({ host, seconds: TIMEOUT_MS / 1000 });
		case 'not_here':
			return m.site_admin_verify_not_here({ host });
		case 'redirects':
			return m.site_admin_verify_redirects({ host });
		case 'status':
			return m.site_admin_verify_status({ host, status: String(problem.status) });
		case 'txt_missing':
			return m.site_admin_verify_txt_missing({ name });
		case 'txt_none':
			return m.site_admin_verify_txt_none({ name });
		case 'dns_silent':
			return m.site_admin_verify_dns_silent({ name });
		default:
			return m.site_admin_verify_unreachable({ host });
	}
}

const PROBLEM_CODES = new Set([
	'no_dns',
	'private',
	'timeout',
	'unreachable',
	'not_here',
	'redirects',
	'status',
	'txt_missing',
	'txt_none',
	'dns_silent'
]);

/** How a problem is kept in `site_domain.last_check_error`. */
export const storedProblem = (problem: VerifyProblem): string => JSON.stringify(problem);

/**
 * A stored `last_check_error` in the reader's language. Rows from before the codes hold an
 * English sentence: shown as it is (the next check replaces it).
 */
export function storedProblemText(hostname: string, stored: string | null): string | null {
	if (!stored) return null;
	try {
		const problem = JSON.parse(stored) as VerifyProblem;
		if (PROBLEM_CODES.has(problem?.code)) return problemText(hostname, problem);
	} catch {
		// Free text from an older row.
	}
	return stored;
}

function problemFor(error: NodeJS.ErrnoException): VerifyProblem {
	switch (error.code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'ENODATA':
			return { code: 'no_dns' };
		case 'ENOTPUBLIC':
			return { code: 'private' };
		case 'ETIMEDOUT':
			return { code: 'timeout' };
		case 'ETOOBIG':
			return { code: 'not_here' };
		default:
			return { code: 'unreachable' };
	}
}

async function checkTxt(hostname: string, token: string): Promise<VerifyResult> {
	const resolver = new Resolver({ timeout: 2000, tries: 2 });
	const servers = env().DNS_SERVERS;
	if (servers) resolver.setServers(servers);
	const name = txtRecordName(hostname);
	try {
		const records = await resolver.resolveTxt(name);
		// A TXT record may be split into several strings; they form one value.
		if (records.some((parts) => parts.join('').trim() === txtRecordValue(token))) return { ok: true };
		return { ok: false, problem: { code: 'txt_missing' } };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOTFOUND' || code === 'ENODATA') return { ok: false, problem: { code: 'txt_none' } };
		return { ok: false, problem: { code: 'dns_silent' } };
	}
}

export const httpVerifier: DomainVerifier = {
	checkTxt,
	check(hostname, token) {
		// Tests and staging: connect to a fixed address instead of the domain's DNS answer.
		const override = env().DOMAIN_VERIFY_CONNECT;
		const at = override?.lastIndexOf(':') ?? -1;
		const target = override
			? { host: override.slice(0, at), port: Number(override.slice(at + 1)) }
			: { host: hostname, port: 80, lookup: publicLookup };
		return new Promise((resolve) => {
			let settled = false;
			const finish = (result: VerifyResult) => {
				if (settled) return;
				settled = true;
				clearTimeout(deadline);
				resolve(result);
			};
			const fail = (code: string) => req.destroy(Object.assign(new Error(code), { code }));
			const req = request(
				{ ...target, path: VERIFICATION_PATH + token, headers: { host: hostname, 'user-agent': 'CollectiveHub-DomainCheck/1' } },
				(res) => {
					if (res.statusCode !== 200) {
						res.resume();
						const moved = res.statusCode && res.statusCode >= 300 && res.statusCode < 400;
						finish({ ok: false, problem: moved ? { code: 'redirects' } : { code: 'status', status: res.statusCode ?? 0 } });
						return;
					}
					let body = '';
					res.setEncoding('utf8');
					res.on('data', (chunk: string) => {
						body += chunk;
						if (body.length > MAX_BYTES) fail('ETOOBIG');
					});
					res.on('end', () => finish(body.trim() === token ? { ok: true } : { ok: false, problem: { code: 'not_here' } }));
					res.on('error', () => {});
				}
			);
			// One deadline for the whole exchange (a slow drip of bytes must not hold it open).
			const deadline = setTimeout(() => fail('ETIMEDOUT'), TIMEOUT_MS);
			req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, problem: problemFor(error) }));
			req.end();
		});
	}
};

let current: DomainVerifier = httpVerifier;

export function domainVerifier(): DomainVerifier {
	return current;
}

/** For tests that check the screens without any network at all. */
export function useDomainVerifier(verifier: DomainVerifier): void {
	current = verifier;
}
