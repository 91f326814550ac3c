/**
 * Host header → normalized hostname, or null when it is not a hostname we could ever serve.
 * Pure and total: it never throws, whatever the input.
 *
 * Normal form: lowercase, no port, no trailing dot, IDN labels in punycode (xn--...). IP literals
 * are refused except loopback (127.0.0.1 and [::1]), which local development and health checks
 * use; odd spellings of loopback (127.1, 0x7f.0.0.1, [0:0::1]) normalize to those two.
 *
 * Whatever it accepts, the WHATWG URL parser (which adapter-node uses to build `event.url`)
 * reads as the same hostname, give or take the trailing dot; `reroute` decides hub-or-site from
 * `event.url`, so the two must never disagree (checked by the fuzz test).
 */
import { isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { isLocalHost } from '../../host-class';
import { boundedMemo } from '../bounded-memo';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A last label that WHATWG URL parsing reads as a number, making the whole host an IPv4 address. */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/;
/** Anything but letters, digits, dot, dash, colon and brackets: whitespace, controls, URL delimiters, `@`, `%`, `_`... */
const FORBIDDEN_ASCII = /[\x00-\x2c\x2f\x3b-\x40\x5c\x5e-\x60\x7b-\x7f]/;
const MAX_HOSTNAME = 253;
/** Longer headers are refused before any work (a hostname plus a port is at most 259 characters). */
const MAX_RAW = 300;
const LOOPBACK_V4 = '127.0.0.1';
const LOOPBACK_V6 = '[::1]';

/** Answers remembered per distinct header (every request parses its Host header). */
const parseRemembered = boundedMemo(parse);

export function parseHost(header: string | null | undefined): string | null {
	if (typeof header !== 'string' || header.length === 0 || header.length > MAX_RAW) return null;
	return parseRemembered(header);
}

function parse(header: string): string | null {
	if (FORBIDDEN_ASCII.test(header)) return null;
	if (header.startsWith('[')) return parseIpv6Literal(header);

	let host = header;
	const colon = host.indexOf(':');
	if (colon !== -1) {
		if (!isPort(host.slice(colon + 1))) return null; // also refuses a second colon ("multiple ports")
		host = host.slice(0, colon);
	}
	if (host.includes('[') || host.includes(']')) return null;
	// One trailing dot (a fully qualified name) is the same host; two are not a hostname.
	const fqdn = host.endsWith('.');
	if (fqdn) host = host.slice(0, -1);
	if (host.length === 0) return null;

	if (!/^[\x00-\x7f]*$/.test(host)) {
		// Unicode: UTS-46 mapping to punycode ('' when invalid). It also maps full-width dots and
		// digits, so the result is checked like any ASCII input below.
		host = domainToASCII(host);
		if (!fqdn && host.endsWith('.')) host = host.slice(0, -1);
	}
	host = host.toLowerCase();
	if (host.length === 0 || host.length > MAX_HOSTNAME) return null;

	const labels = host.split('.');
	const last = labels[labels.length - 1]!;
	if (NUMERIC_LABEL.test(last)) return loopbackIpv4(host);
	for (const label of labels) {
		if (!LABEL.test(label)) return null;
		if (label.startsWith('xn--') && !isValidALabel(label)) return null;
	}
	return host;
}

/**
 * A port: digits only, 1-65535. An empty port (`host:`) is allowed by RFC 9110's grammar and
 * means the default one.
 */
function isPort(port: string): boolean {
	if (port === '') return true;
	if (!/^[0-9]{1,5}$/.test(port)) return false;
	const n = Number(port);
	return n >= 1 && n <= 65535;
}

/** Any IPv4 spelling the URL parser accepts (127.1, 0x7f.0.0.1, 2130706433...): loopback only. */
function loopbackIpv4(host: string): string | null {
	if (!/^[0-9a-fx.]+$/.test(host)) return null;
	// domainToASCII runs the WHATWG host parser, IPv4 number parsing included.
	return domainToASCII(host) === LOOPBACK_V4 ? LOOPBACK_V4 : null;
}

function parseIpv6Literal(header: string): string | null {
	const m = /^\[([0-9a-fA-F:.]{2,45})\](?::([0-9]*))?$/.exec(header);
	if (!m || !isIPv6(m[1]!)) return null;
	if (m[2] !== undefined && !isPort(m[2])) return null;
	// Loopback only, in any spelling (::1, 0:0:0:0:0:0:0:1, ...). Not ::ffff:127.0.0.1: the URL
	// parser keeps it as an IPv6 address, and it is no more local than any other mapped address.
	return new URL(`http://[${m[1]}]/`).hostname === LOOPBACK_V6 ? LOOPBACK_V6 : null;
}

/** An `xn--` label must be real punycode that maps back to itself (no browser sends anything else). */
function isValidALabel(label: string): boolean {
	const unicode = domainToUnicode(label);
	return unicode !== label && unicode !== '' && domainToASCII(unicode) === label;
}

export { isLocalHost };

/**
 * A DNS name we accept as a custom domain: a parsed hostname with at least two labels, not local,
 * not an IP, and not the platform domain itself (a row naming the hub must not shadow it).
 */
export function isValidCustomDomain(host: string | null, platformDomain?: string): host is string {
	return host !== null && !isLocalHost(host) && host.includes('.') && !host.startsWith('[') && host !== platformDomain;
}
