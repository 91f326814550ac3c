/**
 * Host header → normalized hostname, or null when it is not a hostname we could ever serve.
 * Pure and total: it never throws, whatever the input.
 *
 * Normal form: lowercase, no port, no trailing dot, IDN labels in punycode (xn--...). IP literals
 * are refused except loopback (127.0.0.1 and [::1]), which local development and health checks use.
 */
import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4ISH = /^[0-9.]+$/;
const MAX_RAW = 1024;

export function parseHost(header: string | null | undefined): string | null {
	if (typeof header !== 'string' || header.length === 0 || header.length > MAX_RAW) return null;
	// Any whitespace, control character or URL delimiter means this is not a bare host[:port].
	if (/[\s\x00-\x1f\x7f@/\\?#%,;"'<>`{}|^*!$&()+=~]/.test(header)) return null;

	if (header.startsWith('[')) return parseIpv6Literal(header);

	let host = header;
	const colon = host.indexOf(':');
	if (colon !== -1) {
		const port = host.slice(colon + 1);
		if (!isPort(port)) return null; // also refuses a second colon ("multiple ports")
		host = host.slice(0, colon);
	}
	if (host.endsWith('.')) host = host.slice(0, -1);
	if (host.length === 0 || host.startsWith('.') || host.includes('..')) return null;

	if (!/^[\x21-\x7e]*$/.test(host)) {
		// Unicode: IDNA/UTS-46 to punycode. domainToASCII returns '' for invalid names.
		host = domainToASCII(host);
		if (!host) return null;
	}
	host = host.toLowerCase();

	if (host.length > 253) return null;
	const labels = host.split('.');
	if (!labels.every((l) => LABEL.test(l))) return null;

	if (IPV4ISH.test(host)) return host === '127.0.0.1' ? host : null;
	// A numeric top-level label is never a real domain (and catches odd IPv4 spellings).
	if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
	return host;
}

function isPort(port: string): boolean {
	if (!/^[0-9]{1,5}$/.test(port)) return false;
	const n = Number(port);
	return n >= 1 && n <= 65535;
}

function parseIpv6Literal(header: string): string | null {
	const m = /^\[([0-9a-fA-F:.]+)\](?::([0-9]+))?$/.exec(header);
	if (!m) return null;
	if (m[2] !== undefined && !isPort(m[2])) return null;
	const address = m[1]!;
	if (!isIPv6(address)) return null;
	// Loopback only, in any spelling (::1, 0:0:0:0:0:0:0:1, ...).
	const expanded = new URL(`http://[${address}]/`).hostname;
	return expanded === '[::1]' ? '[::1]' : null;
}

/** Local development hosts: the only ones where SITE_SLUG and the dev sign-in may apply. */
export function isLocalHost(host: string): boolean {
	return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
}

/** A DNS name we accept as a custom domain (not local, not an IP, at least two labels). */
export function isValidCustomDomain(host: string | null): host is string {
	return host !== null && !isLocalHost(host) && host.includes('.') && !host.startsWith('[');
}
