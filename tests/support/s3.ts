/**
 * A real S3-protocol server on loopback (s3rver, in a child process, files in a temporary folder)
 * for storage tests, and the S3 driver configured for it the way S3-compatible services need
 * (path-style URLs, checksums only when required).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createS3Storage } from '../../src/lib/server/media/s3';

export interface TestS3 {
	endpoint: string;
	bucket: string;
	/** Environment for a server started with startHub(). */
	env: Record<string, string>;
	storage(options?: { listPageSize?: number }): ReturnType<typeof createS3Storage>;
	close(): Promise<void>;
}

// s3rver accepts exactly these credentials.
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

export async function startS3(bucket = 'media'): Promise<TestS3> {
	const directory = mkdtempSync(path.join(tmpdir(), 'hub-s3-'));
	const child = spawn(
		process.execPath,
		['--openssl-legacy-provider', fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url)), directory, bucket],
		{ stdio: ['pipe', 'pipe', 'pipe'] }
	);
	let output = '';
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`s3rver did not start:\n${output}`)), 15_000);
		child.stdout.on('data', (c: Buffer) => {
			output += c.toString();
			const m = /\{"port":(\d+)\}/.exec(output);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		child.stderr.on('data', (c: Buffer) => (output += c.toString()));
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`s3rver exited with ${code}:\n${output}`));
		});
	});
	const endpoint = `http://127.0.0.1:${port}`;
	return {
		endpoint,
		bucket,
		env: {
			MEDIA_DRIVER: 's3',
			S3_ENDPOINT: endpoint,
			S3_REGION: 'us-east-1',
			S3_BUCKET: bucket,
			S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
			S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
			S3_FORCE_PATH_STYLE: 'true'
		},
		storage: (options = {}) =>
			createS3Storage({
				endpoint,
				region: 'us-east-1',
				bucket,
				accessKeyId: ACCESS_KEY_ID,
				secretAccessKey: SECRET_ACCESS_KEY,
				forcePathStyle: true,
				...options
			}),
		async close() {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.stdin.end();
				const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
				await exited;
				clearTimeout(timer);
			}
			rmSync(directory, { recursive: true, force: true });
		}
	};
}
