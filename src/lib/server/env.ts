/**
 * The environment, parsed once with zod. Every setting the server reads lives here, so the
 * README's configuration table and this schema are the same list.
 *
 * A bad value stops start-up with one line naming the variable (never its value: some are
 * secrets). `parseEnv` is pure so tests can feed it any record; `env()` parses process.env once.
 */
import { cpus, totalmem } from 'node:os';
import { z } from 'zod';
import { isValidTimeZone } from '../time';
// The runtime only, not ../i18n: that pulls in every message of every language (seconds of import
// for each test file and script that reads the environment), for a form error env never shows.
import { baseLocale, locales, type Locale } from '../paraglide/runtime';

const bool = (fallback: boolean) =>
	z
		.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
		.optional()
		.transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

const MiB = 1024 * 1024;

/**
 * The render cache's default size: 1/16 of the memory this process may use (its cgroup limit in a
 * container, else the machine's), from 64 MiB to 1 GiB. About 8 KB a page (brotli + gzip +
 * bookkeeping; a home page of the demo is 3.8 + 4.2 KB): 100 MiB keeps home, events and ten event
 * pages of ~1,000 sites warm (README, "Performance").
 */
export function defaultRenderCacheBytes(memory = process.constrainedMemory() || totalmem()): number {
	const limit = memory > 0 && memory < totalmem() * 4 ? memory : totalmem();
	return Math.round(Math.min(1024 * MiB, Math.max(64 * MiB, limit / 16)));
}

const int = (fallback: number, min: number, max: number) =>
	z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v.trim() === '') return fallback;
			const n = Number(v);
			if (!Number.isInteger(n) || n < min || n > max) {
				ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
				return z.NEVER;
			}
			return n;
		});

const optionalString = z
	.string()
	.optional()
	.transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Lowercase DNS name without port or scheme, e.g. `hub.example` or `localhost`. */
const hostname = z
	.string()
	.trim()
	.toLowerCase()
	.regex(
		/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
		'must be a bare hostname such as hub.example (no scheme, port or path)'
	);

const slug = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a site slug (a-z, 0-9, dashes)');

const discordId = z.string().regex(/^\d{15,22}$/, 'must be a Discord user id (digits)');

const discordIdList = z
	.string()
	.optional()
	.transform((v, ctx) => {
		const ids = (v ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		for (const id of ids) {
			if (!discordId.safeParse(id).success) {
				ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of Discord user ids' });
				return z.NEVER;
			}
		}
		return new Set(ids);
	});

/** An optional URL of one of `protocols` (blank: unset); a bad one is refused with `message`. */
const urlOf = (protocols: string[], message: string) =>
	z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (v === undefined || v.trim() === '') return undefined;
			try {
				const u = new URL(v.trim());
				if (!protocols.includes(u.protocol)) throw new Error();
				return u.toString();
			} catch {
				ctx.addIssue({ code: 'custom', message });
				return z.NEVER;
			}
		});
const url = (what: string) => urlOf(['http:', 'https:'], `must be an http(s) URL (${what})`);

/**
 * A platform domain no one outside this machine can reach through public DNS: localhost and
 * loopback, `*.localhost` (RFC 6761) and the reserved `.test` TLD (RFC 2606).
 */
export function isLocalPlatformDomain(domain: string): boolean {
	return domain === 'localhost' || domain.endsWith('.localhost') || domain === '127.0.0.1' || domain === 'test' || domain.endsWith('.test');
}

export const envSchema = z
	.object({
		NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),

		// Database: a postgres:// URL, or nothing for the embedded PGlite database in DATA_DIR.
		DATABASE_URL: z
			.string()
			.optional()
			.transform((v, ctx) => {
				if (v === undefined || v.trim() === '') return undefined;
				if (!/^postgres(ql)?:\/\//.test(v.trim())) {
					ctx.addIssue({ code: 'custom', message: 'must start with postgres:// or postgresql://' });
					return z.NEVER;
				}
				return v.trim();
			}),
		DATABASE_POOL_MAX: int(10, 1, 200),
		/** How long one connection attempt may take; a refused connection fails at once anyway. */
		DATABASE_CONNECT_TIMEOUT_MS: int(2000, 100, 60_000),
		/** Longest one statement may run (0: no limit); past it the request gets the 503 page. */
		DATABASE_STATEMENT_TIMEOUT_MS: int(5000, 0, 3600_000),
		/** How long a request may wait for a free pooled connection before it gets the 503 page. */
		DATABASE_ACQUIRE_TIMEOUT_MS: int(1000, 10, 60_000),
		/** A connection idle inside an open transaction this long is ended by the server (0: no limit). */
		DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(15_000, 0, 3600_000),
		DATA_DIR: z.string().trim().min(1).default('./data'),
		RUN_MIGRATIONS: bool(true),
		/** On SIGTERM: keep serving (with /readyz 503) this long before closing connections. */
		SHUTDOWN_DRAIN_MS: int(2000, 0, 120_000),
		/** Seed the demo collectives into an empty database (default: only on the embedded database). */
		SEED_DEMO: z.enum(['true', 'false', 'auto', '']).optional().default('auto'),

		/**
		 * What this process does: `web` serves requests, `worker` runs background jobs (and answers
		 * only /healthz and /readyz), `all` both (one process, the embedded demo).
		 */
		ROLE: z.enum(['web', 'worker', 'all']).default('all'),
		/** Jobs of each queue one worker process runs at once. */
		JOB_CONCURRENCY: int(2, 1, 64),
		/** How often a worker looks for new jobs of each queue (pg-boss allows 500 ms at the fastest). */
		JOB_POLL_INTERVAL_MS: int(2000, 500, 60_000),
		/**
		 * How often a worker checks the schedules for a due cron occurrence (pg-boss: 1 to 45 s). An
		 * occurrence stays due for a minute, so anything up to 45 s still fires every one.
		 */
		JOB_SCHEDULE_INTERVAL_SECONDS: int(30, 1, 45),
		/** Audit rows older than this are deleted by the hourly clean-up. */
		AUDIT_RETENTION_DAYS: int(400, 1, 36_500),
		/** A verified domain whose DNS stopped pointing here keeps serving this long, then is detached. */
		DOMAIN_GRACE_DAYS: int(30, 1, 365),

		// Hosts
		PLATFORM_DOMAIN: hostname.default('localhost'),
		SITE_SLUG: slug.optional().or(z.literal('').transform(() => undefined)),
		/** The timezone a new site starts with on the hub's create form (each site changes its own). */
		DEFAULT_TIMEZONE: z.string().trim().default('UTC').refine(isValidTimeZone, 'must be an IANA timezone such as Europe/Berlin'),
		/** The language a new site starts in (each site changes its own in Settings). */
		DEFAULT_LOCALE: z.enum(locales as unknown as [Locale, ...Locale[]]).default(baseLocale),
		/**
		 * Behind a reverse proxy you run: take the request's host from HOST_HEADER (and, in the
		 * sign-in code, the client address from X-Forwarded-For) instead of the connection.
		 */
		TRUST_PROXY: bool(false),
		/**
		 * adapter-node's own variable, read here too: the header adapter-node builds `event.url`
		 * from instead of Host. Site resolution must read the same header, or the hub/site routing
		 * (which looks at `event.url`) and the resolved site could disagree; so it is required with
		 * TRUST_PROXY and refused without it.
		 */
		HOST_HEADER: z
			.string()
			.trim()
			.toLowerCase()
			.regex(/^[a-z0-9-]*$/, 'must be a header name such as x-forwarded-host')
			.optional()
			.transform((v) => v || undefined),
		/** Scheme of public URLs built by the server (redirects, canonical links). Default: http on local hosts, else https. */
		PUBLIC_SCHEME: z
			.enum(['http', 'https', ''])
			.optional()
			.transform((v) => v || undefined),
		HOST_CACHE_MAX: int(50_000, 1, 10_000_000),
		HOST_CACHE_NEGATIVE_MAX: int(10_000, 1, 10_000_000),
		HOST_CACHE_TTL_MS: int(5 * 60_000, 0, 24 * 3600_000),
		HOST_CACHE_NEGATIVE_TTL_MS: int(30_000, 0, 24 * 3600_000),

		// Logs
		LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
		/** Tests and benchmarks: add an `x-db-queries` header with the request's query count. */
		EXPOSE_QUERY_COUNT: bool(false),

		// Sign-in
		AUTH_SECRET: optionalString,
		DISCORD_CLIENT_ID: optionalString,
		DISCORD_CLIENT_SECRET: optionalString,
		/** Only for tests and local development: a fake Discord authorize page. */
		DISCORD_AUTHORIZE_URL: url('DISCORD_AUTHORIZE_URL'),
		OWNER_DISCORD_ID: discordId.optional().or(z.literal('').transform(() => undefined)),
		SUPER_ADMIN_DISCORD_IDS: discordIdList,
		/**
		 * Demo identities on /login. Development only: refused at start-up unless PLATFORM_DOMAIN is
		 * local (localhost, *.localhost, *.test, loopback) and NODE_ENV is not production.
		 */
		DEV_LOGIN: bool(false),
		/** A session lasts this long and slides: used after a day, it is extended to this again. */
		SESSION_MAX_AGE_DAYS: int(90, 1, 3650),
		/** Requests per minute one client IP may make to each sign-in endpoint (counted in the database). */
		AUTH_RATE_LIMIT_MAX: int(30, 1, 100_000),

		// Discord announcements and Guild Scheduled Events (the platform's bot; unset: events sync hidden)
		/** The bot application's id (its invite link names it). */
		DISCORD_BOT_CLIENT_ID: discordId.optional().or(z.literal('').transform(() => undefined)),
		DISCORD_BOT_TOKEN: optionalString,
		/**
		 * Tests only: where Discord's API is (a fake on loopback). Refused unless it is a loopback
		 * address, so a deployment cannot send sites' webhook tokens anywhere else.
		 */
		DISCORD_API_BASE_URL: url('DISCORD_API_BASE_URL').refine(
			(v) => v === undefined || ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(v).hostname),
			'is for tests only: it must be a loopback address (http://127.0.0.1:PORT)'
		),

		// Media
		MEDIA_DRIVER: z
			.enum(['local', 's3', ''])
			.optional()
			.transform((v) => v || undefined),
		S3_ENDPOINT: url('S3_ENDPOINT'),
		S3_REGION: z.string().trim().default('us-east-1'),
		S3_BUCKET: optionalString,
		S3_ACCESS_KEY_ID: optionalString,
		S3_SECRET_ACCESS_KEY: optionalString,
		S3_FORCE_PATH_STYLE: bool(false),
		CDN_BASE_URL: url('CDN_BASE_URL'),
		UPLOAD_MAX_BYTES: int(15 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
		UPLOAD_MAX_PIXELS: int(40_000_000, 1, 1_000_000_000),
		MEDIA_CONCURRENCY: int(cpus().length || 1, 1, 64),

		// Public render cache
		RENDER_CACHE: bool(true),
		RENDER_CACHE_MAX_BYTES: int(defaultRenderCacheBytes(), 0, 16 * 1024 * 1024 * 1024),
		/**
		 * Every write drops its site's pages and every event start or end expires them, so this only
		 * bounds what changes with the clock alone (the feed's and calendar's history window, the
		 * footer's year): 6 hours.
		 */
		RENDER_CACHE_TTL_MS: int(6 * 3600_000, 1000, 24 * 3600_000),
		/** An expired page is kept this much longer, and served only while the database is unreachable. */
		RENDER_CACHE_STALE_MS: int(60 * 60_000, 0, 7 * 24 * 3600_000),
		/**
		 * The render cache's second tier: finished pages as files under DATA_DIR/page-cache, read on a
		 * memory miss (public-site/disk-cache.ts). On by default (off by itself when DATA_DIR is not
		 * writable): disk is cheap where memory is not, and pages survive a restart.
		 */
		RENDER_CACHE_DISK: bool(true),
		/** Its bound; about 9 KB a page on disk, so 2 GiB hold home, events and ten event pages of ~18,000 sites. */
		RENDER_CACHE_DISK_MAX_MB: int(2048, 0, 1024 * 1024),
		/** Fresh cache hits answered before SvelteKit runs (public-site/fast-path.ts); false: every request through SvelteKit. */
		FAST_PATH: bool(true),

		// ActivityPub (src/lib/server/fediverse): unset, federation is off and every fediverse path is 404
		/** At least 32 characters; the key the sites' ActivityPub private keys are encrypted with at rest. */
		FEDERATION_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),

		// E-mail (invitations, domain alerts, followers). Unset SMTP_URL: every e-mail feature is hidden.
		/** smtp:// or smtps:// URL of the mail server, credentials included (`smtps://user:pass@mail.example:465`). */
		SMTP_URL: urlOf(['smtp:', 'smtps:'], 'must be an smtp:// or smtps:// URL'),
		/** Sender address of every mail; each site's name is the sender name (`"Bad Movies" <MAIL_FROM>`). */
		MAIL_FROM: z
			.union([z.literal(''), z.email('must be an e-mail address such as hub@mail.example')])
			.optional()
			.transform((v) => v || undefined),

		// TLS ask endpoint for Caddy on-demand TLS
		TLS_ASK_PATH: z
			.string()
			.regex(/^\/[a-z0-9/_-]+$/i, 'must be a path such as /internal/tls-ask')
			.default('/internal/tls-ask'),
		TLS_ASK_SECRET: optionalString,

		// Custom domains: the DNS records the Domains screen tells owners to create
		PUBLIC_IPV4: z
			.union([z.literal(''), z.ipv4('must be an IPv4 address')])
			.optional()
			.transform((v) => v || undefined),
		PUBLIC_IPV6: z
			.union([z.literal(''), z.ipv6('must be an IPv6 address')])
			.optional()
			.transform((v) => v || undefined),
		/**
		 * Tests and staging only: connect domain verification checks to this host:port instead of
		 * the domain's own address (the Host header still names the domain).
		 */
		DOMAIN_VERIFY_CONNECT: z
			.string()
			.trim()
			.regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port')
			.optional()
			.or(z.literal('').transform(() => undefined)),
		/**
		 * DNS servers for the TXT ownership check of custom domains (comma-separated ip or ip:port);
		 * unset: the system's resolvers. Tests point it at a DNS server of their own on loopback.
		 */
		DNS_SERVERS: z
			.string()
			.trim()
			.optional()
			.transform((v) =>
				v
					? v
							.split(',')
							.map((s) => s.trim())
							.filter(Boolean)
					: undefined
			)
			.pipe(z.array(z.string().regex(/^[\d.:[\]a-f]+$/i, 'must be IP addresses, optionally with :port')).optional())
	})
	.superRefine((e, ctx) => {
		const s3Set = [e.S3_BUCKET, e.S3_ACCESS_KEY_ID, e.S3_SECRET_ACCESS_KEY].some(Boolean);
		if (e.MEDIA_DRIVER === 's3' || (e.MEDIA_DRIVER === undefined && s3Set)) {
			for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
				if (!e[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required for the s3 media driver' });
			}
		}
		if ((e.DISCORD_CLIENT_ID && !e.DISCORD_CLIENT_SECRET) || (!e.DISCORD_CLIENT_ID && e.DISCORD_CLIENT_SECRET)) {
			const key = e.DISCORD_CLIENT_ID ? 'DISCORD_CLIENT_SECRET' : 'DISCORD_CLIENT_ID';
			ctx.addIssue({ code: 'custom', path: [key], message: 'is required when the other Discord credential is set' });
		}
		if (Boolean(e.DISCORD_BOT_CLIENT_ID) !== Boolean(e.DISCORD_BOT_TOKEN)) {
			const key = e.DISCORD_BOT_CLIENT_ID ? 'DISCORD_BOT_TOKEN' : 'DISCORD_BOT_CLIENT_ID';
			ctx.addIssue({ code: 'custom', path: [key], message: 'is required when the other Discord bot setting is set' });
		}
		if (e.TRUST_PROXY && !e.HOST_HEADER) {
			ctx.addIssue({
				code: 'custom',
				path: ['TRUST_PROXY'],
				message: 'must come with HOST_HEADER=x-forwarded-host, so adapter-node and site resolution read the same host'
			});
		}
		if (!e.TRUST_PROXY && e.HOST_HEADER) {
			ctx.addIssue({ code: 'custom', path: ['HOST_HEADER'], message: 'is only trusted with TRUST_PROXY=true: set both or neither' });
		}
		if (e.DEV_LOGIN && (e.NODE_ENV === 'production' || !isLocalPlatformDomain(e.PLATFORM_DOMAIN))) {
			ctx.addIssue({
				code: 'custom',
				path: ['DEV_LOGIN'],
				message:
					'is for development only: it needs a local PLATFORM_DOMAIN (localhost, *.localhost, *.test) and NODE_ENV=development or test'
			});
		}
		if (e.SMTP_URL && !e.MAIL_FROM) {
			ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'is required with SMTP_URL (the sender address of every mail)' });
		}
		if (e.NODE_ENV === 'production' && e.AUTH_SECRET && e.AUTH_SECRET.length < 32) {
			ctx.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'must be at least 32 characters' });
		}
	})
	.transform((e) => ({
		...e,
		MEDIA_DRIVER: e.MEDIA_DRIVER ?? (e.S3_BUCKET ? ('s3' as const) : ('local' as const)),
		SEED_DEMO: e.SEED_DEMO === 'true' || ((e.SEED_DEMO === 'auto' || e.SEED_DEMO === '') && !e.DATABASE_URL)
	}));

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
	constructor(
		readonly variable: string,
		readonly problem: string
	) {
		super(`Invalid environment: ${variable} ${problem}`);
		this.name = 'EnvError';
	}
}

/** Parse a record of environment variables; throws EnvError naming the first bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
	const result = envSchema.safeParse(source);
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	const variable = String(issue.path[0] ?? 'environment');
	// zod's default messages can echo the received value; keep ours generic for enums.
	const problem =
		issue.code === 'invalid_value'
			? `must be one of: ${(issue as { values?: unknown[] }).values?.join(', ')}`
			: issue.message.startsWith('must') || issue.message.startsWith('is ')
				? issue.message
				: `is invalid (${issue.message.replace(/received .*/i, '').trim()})`;
	throw new EnvError(variable, problem);
}

let cached: Env | undefined;

/** The process environment, parsed on first use. Start-up calls this first so a bad value stops it. */
export function env(): Env {
	cached ??= parseEnv(process.env);
	return cached;
}

/** For tests that start the app in-process with a different environment. */
export function resetEnvForTests(): void {
	cached = undefined;
}
