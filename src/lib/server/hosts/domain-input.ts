/**
 * A custom domain typed into a form (site admin and hub panel): normalized like a Host header,
 * never an IP address, a local name, or a name under the platform's own domain.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { env } from '../env';
import { isLocalHost, parseHost } from './parse-host';

export const hostnameField = z.object({
	hostname: z
		.string()
		.trim()
		.min(1, 'Enter a domain like films.example.org')
		.max(253, 'That is too long for a domain name')
		.transform((v, ctx) => {
			const host = parseHost(v.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''));
			if (!host || isIP(host.replace(/^\[|\]$/g, '')) || isLocalHost(host) || !host.includes('.')) {
				ctx.addIssue({ code: 'custom', message: 'Enter a domain like films.example.org (no IP addresses)' });
				return z.NEVER;
			}
			const platform = env().PLATFORM_DOMAIN;
			if (host === platform || host.endsWith(`.${platform}`)) {
				ctx.addIssue({ code: 'custom', message: `Addresses under ${platform} are the platform’s own; this site already has one` });
				return z.NEVER;
			}
			return host;
		})
});
