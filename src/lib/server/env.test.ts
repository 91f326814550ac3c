import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';
import { jobIntervals } from './jobs/intervals';

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
		expect(e.ROLE).toBe('all');
	});

	it('keeps pg-boss’s own job clocks unless told otherwise, within what pg-boss accepts', () => {
		expect(jobIntervals(parseEnv({}).JOB_POLL_INTERVAL_MS, parseEnv({}).JOB_SCHEDULE_INTERVAL_SECONDS)).toEqual({
			pollingIntervalSeconds: 2,
			boss: { cronMonitorIntervalSeconds: 30, cronWorkerIntervalSeconds: 5 }
		});
		const fast = parseEnv({ JOB_POLL_INTERVAL_MS: '500', JOB_SCHEDULE_INTERVAL_SECONDS: '1' });
		expect(jobIntervals(fast.JOB_POLL_INTERVAL_MS, fast.JOB_SCHEDULE_INTERVAL_SECONDS)).toEqual({
			pollingIntervalSeconds: 0.5,
			boss: { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 }
		});
		expect(errorOf({ JOB_POLL_INTERVAL_MS: '100' }).message).toContain('JOB_POLL_INTERVAL_MS');
		expect(errorOf({ JOB_SCHEDULE_INTERVAL_SECONDS: '60' }).message).toContain('JOB_SCHEDULE_INTERVAL_SECONDS');
	});

	it('takes ROLE web, worker or all and refuses anything else by name', () => {
		expect(parseEnv({ ROLE: 'worker' }).ROLE).toBe('worker');
		expect(parseEnv({ ROLE: 'web' }).ROLE).toBe('web');
		expect(errorOf({ ROLE: 'cron' }).message).toBe('Invalid environment: ROLE must be one of: web, worker, all');
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
		[{ DISCORD_BOT_CLIENT_ID: '123456789012345678' }, 'DISCORD_BOT_TOKEN'],
		[{ DISCORD_BOT_TOKEN: 'token' }, 'DISCORD_BOT_CLIENT_ID'],
		[{ DISCORD_BOT_CLIENT_ID: 'bot', DISCORD_BOT_TOKEN: 'token' }, 'DISCORD_BOT_CLIENT_ID'],
		[{ DISCORD_API_BASE_URL: 'https://discord-proxy.example/api' }, 'DISCORD_API_BASE_URL'],
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

	it('takes a Discord API base only on loopback (tests), and the bot only as a pair', () => {
		expect(parseEnv({ DISCORD_API_BASE_URL: 'http://127.0.0.1:4567/api' }).DISCORD_API_BASE_URL).toBe('http://127.0.0.1:4567/api');
		const bot = parseEnv({ DISCORD_BOT_CLIENT_ID: '123456789012345678', DISCORD_BOT_TOKEN: 'token' });
		expect([bot.DISCORD_BOT_CLIENT_ID, bot.DISCORD_BOT_TOKEN]).toEqual(['123456789012345678', 'token']);
		expect(parseEnv({}).DISCORD_BOT_TOKEN).toBeUndefined();
	});

	it('takes the forwarded host from the header adapter-node reads, only behind a trusted proxy', () => {
		expect(parseEnv({}).HOST_HEADER).toBeUndefined();
		const e = parseEnv({ TRUST_PROXY: 'true', HOST_HEADER: 'X-Forwarded-Host' });
		expect(e.TRUST_PROXY).toBe(true);
		expect(e.HOST_HEADER).toBe('x-forwarded-host');
	});

	it('takes service URLs of their own protocols only, blank as unset', () => {
		expect(parseEnv({ S3_ENDPOINT: ' http://127.0.0.1:9000 ' }).S3_ENDPOINT).toBe('http://127.0.0.1:9000/');
		expect(parseEnv({ SMTP_URL: 'smtps://u:p@mail.example:465', MAIL_FROM: 'hub@mail.example' }).SMTP_URL).toBe(
			'smtps://u:p@mail.example:465'
		);
		expect(parseEnv({ SMTP_URL: '  ' }).SMTP_URL).toBeUndefined();
		expect(errorOf({ SMTP_URL: 'http://mail.example' }).message).toContain('SMTP_URL must be an smtp:// or smtps:// URL');
		expect(errorOf({ S3_ENDPOINT: 'smtp://mail.example' }).message).toContain('must be an http(s) URL (S3_ENDPOINT)');
		expect(errorOf({ SMTP_URL: 'smtp://u:secret@' }).message).not.toContain('secret');
	});

	it('never echoes a secret value in the message', () => {
		const secret = 'tooshort-secret';
		const e = errorOf({ NODE_ENV: 'production', AUTH_SECRET: secret });
		expect(e.message).not.toContain(secret);
		const url = 'mysql://user:hunter2@db/x';
		expect(errorOf({ DATABASE_URL: url }).message).not.toContain('hunter2');
	});

	it('allows the dev sign-in only on a local platform domain outside production', () => {
		for (const domain of ['localhost', 'dev.localhost', 'hub.test', '127.0.0.1']) {
			for (const nodeEnv of ['development', 'test']) {
				expect(parseEnv({ DEV_LOGIN: 'true', PLATFORM_DOMAIN: domain, NODE_ENV: nodeEnv }).DEV_LOGIN, domain).toBe(true);
			}
		}
		// NODE_ENV defaults to production, so DEV_LOGIN alone is refused too (`npm run demo` sets development).
		for (const source of [
			{ DEV_LOGIN: 'true' } as Record<string, string>,
			{ DEV_LOGIN: 'true', NODE_ENV: 'production', PLATFORM_DOMAIN: 'localhost' },
			{ DEV_LOGIN: 'true', NODE_ENV: 'development', PLATFORM_DOMAIN: 'hub.example' },
			{ DEV_LOGIN: 'true', NODE_ENV: 'development', PLATFORM_DOMAIN: 'localhost.example' },
			{ DEV_LOGIN: 'true', NODE_ENV: 'development', PLATFORM_DOMAIN: 'test.example' },
			{ DEV_LOGIN: 'true', NODE_ENV: 'test', PLATFORM_DOMAIN: 'collective-hub.org' }
		]) {
			const e = errorOf(source);
			expect(e.variable, JSON.stringify(source)).toBe('DEV_LOGIN');
			expect(e.message).not.toContain('\n');
		}
		expect(parseEnv({ DEV_LOGIN: 'false', PLATFORM_DOMAIN: 'hub.example' }).DEV_LOGIN).toBe(false);
	});

	it('keeps sessions 90 days unless SESSION_MAX_AGE_DAYS says otherwise', () => {
		expect(parseEnv({}).SESSION_MAX_AGE_DAYS).toBe(90);
		expect(parseEnv({ SESSION_MAX_AGE_DAYS: '7' }).SESSION_MAX_AGE_DAYS).toBe(7);
		for (const bad of ['0', '-1', '1.5', 'forever', '4000'])
			expect(errorOf({ SESSION_MAX_AGE_DAYS: bad }).variable).toBe('SESSION_MAX_AGE_DAYS');
	});
});
