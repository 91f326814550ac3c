/**
 * Cross-site form posts are refused: a form POST (PUT, PATCH, DELETE) must carry an Origin whose
 * host is the request's own host.
 *
 * SvelteKit's built-in check compares Origin with `event.url.origin`, but adapter-node builds that
 * URL with `https` unless a protocol header is configured, and this one server answers many hosts,
 * so plain-http local and test setups (`npm run demo`, the tests) had every form refused. The
 * built-in check is therefore switched off in svelte.config.js (csrf.trustedOrigins ['*']) and
 * replaced by this one, which compares hosts as resolveSite normalized them. Schemes and ports are
 * not compared: a page on another port or scheme of the same host is the same site for cookies too.
 */
import { parseHost } from './hosts/parse-host';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isFormSubmission(request: Request): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	return FORM_TYPES.includes(type);
}

/** Whether a form submission to `host` (normalized) comes from a page on that same host. */
export function isSameHostOrigin(origin: string | null, host: string): boolean {
	if (!origin || origin === 'null') return false;
	try {
		const url = new URL(origin);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
		return parseHost(url.host) === host;
	} catch {
		return false;
	}
}

/**
 * A form post from elsewhere. The Origin decides when it names a host. A browser sends
 * `Origin: null` from pages whose referrer policy is `no-referrer`; then `Sec-Fetch-Site:
 * same-origin` (set by the browser, never by a page's script, and `cross-site` for opaque
 * origins such as sandboxed frames) still proves the post came from this very origin.
 */
export function isCrossSiteFormPost(request: Request, host: string): boolean {
	if (!isFormSubmission(request)) return false;
	const origin = request.headers.get('origin');
	if (isSameHostOrigin(origin, host)) return false;
	const sameOriginFetch = request.headers.get('sec-fetch-site') === 'same-origin';
	return !((origin === null || origin === 'null') && sameOriginFetch);
}

/** The RFC 8058 one-click unsubscribe POST of a mail client: one path, POST only. */
export function isOneClickUnsubscribe(request: Request, pathname: string): boolean {
	return request.method === 'POST' && /^\/follow\/unsubscribe\/[^/]+$/.test(pathname);
}
