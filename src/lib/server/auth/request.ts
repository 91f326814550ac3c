/**
 * The SvelteKit request an auth callback runs in. Better Auth's hooks and endpoints run inside
 * `auth.handler` / `auth.api` calls made while a request is handled, so `getRequestEvent()` gives
 * the locals resolveSite filled in (the normalized host, the site, hub or not): auth code never
 * reads the Host header itself.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';

export function currentRequest(): RequestEvent | null {
	try {
		return getRequestEvent();
	} catch {
		return null;
	}
}

export function requireRequest(): RequestEvent {
	const event = currentRequest();
	if (!event) throw new Error('auth code ran outside a request');
	return event;
}
