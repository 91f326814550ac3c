/**
 * Caddy's on-demand TLS asks this endpoint before it requests a certificate for a hostname:
 * `GET <TLS_ASK_PATH>?domain=<hostname>`. 200 means "we serve this name, get a certificate";
 * anything else means no. Answers come from the resolver cache (misses cost one indexed query
 * per distinct host, unknown hosts are cached as misses), never from DNS.
 *
 * Yes for: a verified custom domain of a live site (primary or not: a non-primary name still
 * needs a certificate to send its 301), `<slug>.<PLATFORM_DOMAIN>` of an existing site, and the
 * hub. No for: pending (unverified) domains, unknown names, local names (localhost, IPs).
 *
 * Only the proxy should reach it: when TLS_ASK_SECRET is set the request must carry it
 * (`?secret=` in the ask URL, or an `x-tls-ask-secret` header); the Caddyfile also answers 404
 * for the path on public traffic.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Handle } from '@sveltejs/kit';
import { env } from '../env';
import { hostResolver } from './index';
import { isLocalHost, parseHost } from './parse-host';

function text(status: number, body: string): Response {
	return new Response(body + '\n', { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}

function secretMatches(given: string | null, expected: string): boolean {
	if (given === null) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

export const tlsAsk: Handle = async ({ event, resolve }) => {
	const e = env();
	if (event.url.pathname !== e.TLS_ASK_PATH) return resolve(event);
	if (event.request.method !== 'GET' && event.request.method !== 'HEAD') return text(405, 'method not allowed');
	if (e.TLS_ASK_SECRET) {
		const given = event.url.searchParams.get('secret') ?? event.request.headers.get('x-tls-ask-secret');
		if (!secretMatches(given, e.TLS_ASK_SECRET)) return text(403, 'forbidden');
	}
	const raw = event.url.searchParams.get('domain');
	const host = raw === null ? null : parseHost(raw);
	if (host === null || raw!.includes(':')) return text(400, 'malformed domain');
	if (isLocalHost(host)) return text(404, 'not served here');
	const resolution = await hostResolver().resolve(host);
	return resolution.kind === 'none' ? text(404, 'not served here') : text(200, 'ok');
};
