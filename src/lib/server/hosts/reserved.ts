/**
 * Slugs that can never name a site, because `<slug>.<PLATFORM_DOMAIN>` would shadow a name the
 * platform or its operator uses (www, mail, the media path...), or would confuse visitors.
 */
export const RESERVED_SLUGS = new Set([
	'www',
	'hub',
	'admin',
	'api',
	'app',
	'auth',
	'login',
	'logout',
	'static',
	'assets',
	'media',
	'files',
	'cdn',
	'mail',
	'smtp',
	'imap',
	'pop',
	'ftp',
	'ns',
	'ns1',
	'ns2',
	'dns',
	'status',
	'help',
	'support',
	'docs',
	'blog',
	'internal',
	'system',
	'root',
	'postmaster',
	'webmaster',
	'hostmaster',
	'abuse',
	'security',
	'localhost',
	'test',
	'dev',
	'staging',
	'sites',
	'site',
	'new',
	'minio',
	's3'
]);

export function isReservedSlug(slug: string): boolean {
	return RESERVED_SLUGS.has(slug) || slug.startsWith('xn--');
}
