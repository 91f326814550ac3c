/**
 * Start the built server (`node build`) as a child process on a free port, with its own
 * environment and database, and talk to it over real HTTP with any Host header.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface HubServer {
	port: number;
	origin: string;
	process: ChildProcess;
	/** Everything the server printed (JSON log lines), for assertions on logs. */
	output: string[];
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
	env?: Record<string, string | undefined>;
	/** Milliseconds to wait for /readyz. */
	timeout?: number;
	/** Extra node flags (e.g. --import for a test-only preload). */
	nodeArgs?: string[];
	/** Wait for /readyz 200 before returning (default); false: only for the server to listen. */
	waitReady?: boolean;
}

/**
 * For a file that waits on the server's jobs: the worker looks for new jobs every 0.5 s and checks
 * the schedules every second (production: 2 s and 30 s), so a job or a minute cron runs within a
 * second or two of being due instead of up to half a minute later. The same code, on shorter clocks.
 */
export const FAST_JOBS_ENV = { JOB_POLL_INTERVAL_MS: '500', JOB_SCHEDULE_INTERVAL_SECONDS: '1' } as const;

export async function startHub(options: StartOptions = {}): Promise<HubServer> {
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		HOME: process.env.HOME ?? '/tmp',
		NODE_ENV: 'production',
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'info',
		PLATFORM_DOMAIN: 'hub.test',
		PUBLIC_SCHEME: 'http',
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hub-data-')),
		SEED_DEMO: 'false',
		AUTH_SECRET: 'test-secret-test-secret-test-secret-0123456789',
		EXPOSE_QUERY_COUNT: 'true',
		// Tests stop servers often; the drain period is tested on its own (shutdown.test.ts).
		SHUTDOWN_DRAIN_MS: '0',
		// As in the Dockerfile: above UPLOAD_MAX_BYTES (15 MB) plus multipart overhead.
		BODY_SIZE_LIMIT: '16M'
	};
	for (const [k, v] of Object.entries(options.env ?? {})) {
		if (v === undefined) delete env[k];
		else env[k] = v;
	}
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'build/index.js'], {
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output: string[] = [];
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	// The embedded database (no DATABASE_URL) runs every migration in-process before listening,
	// which takes several times longer than on PostgreSQL on a busy machine.
	const startTimeout = options.timeout ?? (env.DATABASE_URL ? 30_000 : 90_000);
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), startTimeout);
		const onData = (chunk: Buffer) => {
			const text = chunk.toString();
			output.push(text);
			const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(output.join(''));
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${output.join('')}`));
		});
	});
	const origin = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + startTimeout;
	for (; options.waitReady !== false;) {
		const r = await get(origin, '/readyz', 'localhost').catch(() => null);
		if (r?.status === 200) break;
		if (Date.now() > deadline) throw new Error(`server not ready:\n${output.join('')}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		port,
		origin,
		process: child,
		output,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode !== null) return child.exitCode;
			child.kill(signal);
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			const code = await exited;
			clearTimeout(timer);
			return code;
		}
	};
}

export interface HttpResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** The body's bytes (images, icons). */
	buffer: Buffer;
}

export interface RequestOptions {
	method?: string;
	/** A new connection for this request (no keep-alive reuse). */
	fresh?: boolean;
	headers?: Record<string, string | string[]>;
	body?: string | Buffer;
}

/** One HTTP request with an exact Host header (Node's fetch does not let us set Host). */
export function request(origin: string, pathname: string, host: string | null, options: RequestOptions = {}): Promise<HttpResult> {
	const url = new URL(origin);
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | string[]> = { ...(options.headers ?? {}) };
		if (host !== null) headers.host = host;
		const req = httpRequest(
			{
				host: url.hostname,
				port: url.port,
				path: pathname,
				method: options.method ?? 'GET',
				headers,
				setHost: host === null ? false : undefined,
				agent: options.fresh ? false : undefined
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const buffer = Buffer.concat(chunks);
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buffer.toString(), buffer });
				});
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
		if (options.body) req.write(options.body);
		req.end();
	});
}

export const get = (origin: string, pathname: string, host: string | null, headers: Record<string, string> = {}) =>
	request(origin, pathname, host, { headers });

/** POST a URL-encoded form the way a browser on `host` would (Origin header set for SvelteKit's CSRF check). */
export function postForm(
	origin: string,
	pathname: string,
	host: string,
	fields: Record<string, string | string[]>,
	headers: Record<string, string> = {}
): Promise<HttpResult> {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) body.append(k, item);
	return request(origin, pathname, host, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: `http://${host}`,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			...headers
		},
		body: body.toString()
	});
}
