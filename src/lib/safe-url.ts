/**
 * Links typed by site members (nav links, ticket URLs, social profiles) end up in href attributes.
 * Only web, mail and phone links and same-site paths are rendered; anything else (javascript:,
 * data:, vbscript:, protocol-relative //evil) is dropped, whatever the admin forms let through.
 */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

export function safeHref(raw: string | null | undefined): string | null {
	if (!raw) return null;
	// Browsers ignore tabs and newlines inside URLs and trim control characters: so must we.
	const url = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
	if (!url) return null;
	if (url.startsWith('/')) return url.startsWith('//') || url.startsWith('/\\') ? null : url;
	if (url.startsWith('#') || url.startsWith('?')) return url;
	try {
		const parsed = new URL(url);
		return SAFE_SCHEMES.has(parsed.protocol) ? parsed.href : null;
	} catch {
		return null;
	}
}

/** A link that leaves the site (opens with rel="noopener"). */
export function isExternal(href: string): boolean {
	return /^https?:/i.test(href);
}
