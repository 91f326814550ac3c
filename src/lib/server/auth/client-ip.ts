/**
 * The client address rate limits are keyed by. Without TRUST_PROXY it is the socket's address and
 * any X-Forwarded-For is ignored (anyone can send one). Behind our own proxy (TRUST_PROXY) it is
 * the LAST X-Forwarded-For hop, the one that proxy appended: earlier hops come from the client.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { isIP } from 'node:net';

export function clientIp(event: Pick<RequestEvent, 'request' | 'getClientAddress'>, trustProxy: boolean): string {
	if (trustProxy) {
		const hops = event.request.headers.get('x-forwarded-for')?.split(',') ?? [];
		const last = hops[hops.length - 1]?.trim();
		if (last && isIP(last)) return last;
	}
	return event.getClientAddress();
}
