/**
 * Where to send someone after sign-in. Only a path on the same host is accepted: an attacker
 * must not be able to craft a sign-in link that ends on their site (`//evil.example`,
 * `/\evil.example`, `https://evil.example`, `javascript:`...). Anything else falls back.
 */
export const DEFAULT_RETURN_PATH = '/admin';

const MAX_LENGTH = 2048;

export function isSafeReturnPath(raw: unknown): raw is string {
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return false;
	if (!raw.startsWith('/')) return false;
	// "//host" and "/\host" are protocol-relative in browsers; backslashes never appear in our paths.
	if (raw.startsWith('//') || raw.includes('\\')) return false;
	// Control characters and whitespace: browsers strip some of them, which can turn "/\t/evil" into "//evil".
	if (/[\x00-\x20\x7f]/.test(raw)) return false;
	let url: URL;
	try {
		url = new URL(raw, 'http://return.invalid');
	} catch {
		return false;
	}
	return url.origin === 'http://return.invalid' && url.pathname.startsWith('/') && !url.pathname.startsWith('//');
}

/** The path itself when safe, else the default. */
export function safeReturnPath(raw: unknown, fallback = DEFAULT_RETURN_PATH): string {
	return isSafeReturnPath(raw) ? raw : fallback;
}
