import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

function errorOf(source: Record<string, string>): EnvError {
	try {
		parseEnv(source);
	} catch (e) {
		if (e instanceof EnvError) return e;
		throw e;
	}
	throw new Error('expected parseEnv to throw');
}

describe('parseEnv', () => {
	it('gives working defaults for an empty environment (embedded database, local media)', () => {
		const e = parseEnv({});
		expect(e.DATABASE_URL).toBeUndefined();
		expect(e.DATA_DIR).toBe('./data');
		expect(e.PLATFORM_DOMAIN).toBe('localhost');
		expect(e.RUN_MIGRATIONS).toBe(true);
		expect(e.MEDIA_DRIVER).toBe('local');
		expect(e.SEED_DEMO).toBe(true);
		expect(e.UPLOAD_MAX_BYTES).toBe(15 * 1024 * 1024);
		expect(e.SUPER_ADMIN_DISCORD_IDS.size).toBe(0);
	});

	it('parses a production configuration', () => {
		const e = parseEnv({
			DATABASE_URL: 'postgres://u:p@db:5432/hub',
			PLATFORM_DOMAIN: 'Hub.Example',
			RUN_MIGRATIONS: 'false',
			SUPER_ADMIN_DISCORD_IDS: '123456789012345678, 223456789012345678',
			S3_BUCKET: 'media',
			S3_ACCESS_KEY_ID: 'key',
			S3_SECRET_ACCESS_KEY: 'secret',
			HOST_CACHE_MAX: '1000'
		});
		expect(e.PLATFORM_DOMAIN).toBe('hub.example');
		expect(e.RUN_MIGRATIONS).toBe(false);
		expect(e.MEDIA_DRIVER).toBe('s3');
		expect(e.SEED_DEMO).toBe(false);
		expect([...e.SUPER_ADMIN_DISCORD_IDS]).toEqual(['123456789012345678', '223456789012345678']);
		expect(e.HOST_CACHE_MAX).toBe(1000);
	});

	it.each([
		[{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
		[{ PLATFORM_DOMAIN: 'https://hub.example/' }, 'PLATFORM_DOMAIN'],
		[{ RUN_MIGRATIONS: 'maybe' }, 'RUN_MIGRATIONS'],
		[{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
		[{ HOST_CACHE_MAX: '-5' }, 'HOST_CACHE_MAX'],
		[{ UPLOAD_MAX_BYTES: 'lots' }, 'UPLOAD_MAX_BYTES'],
		[{ SUPER_ADMIN_DISCORD_IDS: '123, not-an-id' }, 'SUPER_ADMIN_DISCORD_IDS'],
		[{ OWNER_DISCORD_ID: 'abc' }, 'OWNER_DISCORD_ID'],
		[{ SITE_SLUG: 'Not A Slug!' }, 'SITE_SLUG'],
		[{ CDN_BASE_URL: 'ftp://cdn' }, 'CDN_BASE_URL'],
		[{ MEDIA_DRIVER: 's3', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }, 'S3_BUCKET'],
		[{ DISCORD_CLIENT_ID: '123' }, 'DISCORD_CLIENT_SECRET'],
		[{ NODE_ENV: 'production', AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
		[{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
		[{ HOST_HEADER: 'x-forwarded-host' }, 'HOST_HEADER'],
		[{ TRUST_PROXY: 'true', HOST_HEADER: 'x forwarded host' }, 'HOST_HEADER']
	])('names the bad variable in one line: %j', (source, variable) => {
		const e = errorOf(source as Record<string, string>);
		expect(e.variable).toBe(variable);
		expect(e.message.startsWith(`Invalid environment: ${variable} `)).toBe(true);
		expect(e.message).not.toContain('\n');
	});

	it('takes the forwarded host from the header adapter-node reads, only behind a trusted proxy', () => {
		expect(parseEnv({}).HOST_HEADER).toBeUndefined();
		const e = parseEnv({ TRUST_PROXY: 'true', HOST_HEADER: 'X-Forwarded-Host' });
		expect(e.TRUST_PROXY).toBe(true);
		expect(e.HOST_HEADER).toBe('x-forwarded-host');
	});

	it('never echoes a secret value in the message', () => {
		const secret = 'tooshort-secret';
		const e = errorOf({ NODE_ENV: 'production', AUTH_SECRET: secret });
		expect(e.message).not.toContain(secret);
		const url = 'mysql://user:hunter2@db/x';
		expect(errorOf({ DATABASE_URL: url }).message).not.toContain('hunter2');
	});
});
