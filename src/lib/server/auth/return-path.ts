/**
 * Where to send someone after sign-in: the one sanitizer for every `next` the server reads.
 * Only a path on the same host is accepted: an attacker must not be able to craft a sign-in link
 * that ends on their site (`//evil.example`, `/\evil.example`, `https://evil.example`,
 * `javascript:`...). Anything else falls back.
 *
 * What comes out is the URL parser's serialization of the path (dot segments resolved, anything
 * outside printable ASCII percent-encoded), so it can always go in a Location header: a raw
 * `/∕x` would make the redirect itself throw (header values are Latin-1), after the sign-in had
 * already spent its token.
 */
export const DEFAULT_RETURN_PATH = '/admin';
/** On the hub: its home page lists "my sites" (the hub's /admin is for super admins only). */
export const HUB_RETURN_PATH = '/';

const MAX_LENGTH = 2048;
const BASE = 'http://return.invalid';
/** A path on this host, printable ASCII only, not starting with `//` or `/\`. */
const SAME_HOST_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;

function normalize(raw: unknown): string | null {
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return null;
	if (!raw.startsWith('/')) return null;
	// "//host" and "/\host" are protocol-relative in browsers; backslashes never appear in our paths.
	if (raw.startsWith('//') || raw.includes('\\')) return null;
	// Control characters and whitespace: browsers strip some of them, which can turn "/\t/evil" into "//evil".
	if (/[\x00-\x20\x7f]/.test(raw)) return null;
	let url: URL;
	try {
		url = new URL(raw, BASE);
	} catch {
		return null;
	}
	if (url.origin !== BASE) return null;
	// Dot segments can still make a protocol-relative path ("/.//evil" → "//evil"); percent-encoding
	// can make it longer than the sign-in's signed request allows.
	const path = url.pathname + url.search + url.hash;
	return SAME_HOST_PATH.test(path) && path.length <= MAX_LENGTH ? path : null;
}

export function isSafeReturnPath(raw: unknown): raw is string {
	return normalize(raw) !== null;
}

/** The default after sign-in on this host: the site's admin, or the hub's "my sites". */
export function defaultReturnPath(locals: Pick<App.Locals, 'isHub'>): string {
	return locals.isHub ? HUB_RETURN_PATH : DEFAULT_RETURN_PATH;
}

/** The path, normalized, when it stays on this host; else the fallback. */
export function safeReturnPath(raw: unknown, fallback = DEFAULT_RETURN_PATH): string {
	return normalize(raw) ?? fallback;
}
