/**
 * Proving that a custom domain points at this platform before it serves a site: fetch
 * `http://<domain>/.well-known/collective-hub/<token>` and expect the token back. While the domain
 * is pending, this app answers that path with the token (sites/handle.ts), so the check succeeds
 * exactly when DNS (and the proxy) route the domain here.
 *
 * Plain HTTP on purpose: TLS for the domain cannot exist before it is verified (Caddy asks us).
 * Bounded: 5 s, 1 KiB, no redirects followed (a redirect elsewhere proves nothing).
 */
import { request } from 'node:http';
import { env } from '../env';
import { VERIFICATION_PATH } from './handle';

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export interface DomainVerifier {
	check(hostname: string, token: string): Promise<VerifyResult>;
}

const TIMEOUT_MS = 5000;
const MAX_BYTES = 1024;

export const httpVerifier: DomainVerifier = {
	check(hostname, token) {
		const override = env().DOMAIN_VERIFY_CONNECT;
		const [host, port] = override ? [override.slice(0, override.lastIndexOf(':')), Number(override.slice(override.lastIndexOf(':') + 1))] : [hostname, 80];
		return new Promise((resolve) => {
			const req = request({ host, port, path: VERIFICATION_PATH + token, headers: { host: hostname, 'user-agent': 'CollectiveHub-DomainCheck' }, timeout: TIMEOUT_MS }, (res) => {
				if (res.statusCode !== 200) {
					res.resume();
					resolve({ ok: false, reason: `http://${hostname} answered ${res.statusCode} instead of the check token` });
					return;
				}
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					body += chunk;
					if (body.length > MAX_BYTES) req.destroy();
				});
				res.on('end', () => resolve(body.trim() === token ? { ok: true } : { ok: false, reason: `http://${hostname} does not point to this platform yet` }));
			});
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (error) =>
				resolve({ ok: false, reason: /ENOTFOUND|EAI_AGAIN/.test(String(error)) ? `${hostname} has no DNS record yet` : `Could not reach http://${hostname} (${error.message})` })
			);
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
