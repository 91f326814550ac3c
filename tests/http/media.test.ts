/**
 * /media on the built server: images stored by the pipeline are served public and immutable with
 * the right type on every host the server answers (a CDN would serve them the same way), and no
 * request path reaches anything but an image variant.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { request, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { startS3, type TestS3 } from '../support/s3';
import * as f from '../support/factories';
import * as img from '../support/images';
import { createLocalStorage } from '../../src/lib/server/media/local';
import { readAll, useMediaStorage } from '../../src/lib/server/media/storage';
import { processUpload } from '../../src/lib/server/media/upload';
import { variantKeys } from '../../src/lib/server/media/keys';
import type { AssetRow } from '../../src/lib/server/queries/assets';

/** Raw bytes of a response (request() gives text). */
function fetchBytes(origin: string, pathname: string, host: string): Promise<{ status: number; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const url = new URL(origin);
		import('node:http').then(({ request: httpRequest }) => {
			const req = httpRequest({ host: url.hostname, port: url.port, path: pathname, headers: { host } }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
			});
			req.on('error', reject);
			req.end();
		}, reject);
	});
}

describe.runIf(inject('templateDatabase'))('/media with the local driver', () => {
	const tdb = useTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-data-'));
	const storage = createLocalStorage(path.join(dataDir, 'media'));
	let hub: HubServer;
	let A: Awaited<ReturnType<typeof f.createSite>>;
	let B: Awaited<ReturnType<typeof f.createSite>>;
	let image: AssetRow;
	let key: string;

	beforeAll(async () => {
		useMediaStorage(storage);
		A = await f.createSite();
		B = await f.createSite();
		image = await processUpload(A, 'event', img.file(await img.jpeg(1200, 800), 'poster.jpg'));
		key = variantKeys(image)[1]!;
		// Things that must never be served.
		writeFileSync(path.join(dataDir, 'secret.txt'), 'TOP-SECRET data dir file');
		mkdirSync(path.join(dataDir, 'media', 'sites', A.slug, 'event'), { recursive: true });
		writeFileSync(path.join(dataDir, 'media', 'sites', A.slug, 'event', 'notes.txt'), 'TOP-SECRET inside media');
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, DATA_DIR: dataDir } });
	});
	afterAll(async () => {
		await hub?.stop();
		useMediaStorage(undefined);
	});

	it('serves a variant as image/webp, immutable, with an etag and its exact bytes', async () => {
		const r = await request(hub.origin, `/media/${key}`, `${A.slug}.hub.test`);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('image/webp');
		expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		expect(r.headers['x-content-type-options']).toBe('nosniff');
		expect(r.headers.etag).toMatch(/^"[^"]+"$/);
		const bytes = await fetchBytes(hub.origin, `/media/${key}`, `${A.slug}.hub.test`);
		expect(bytes.body).toEqual(await readAll((await storage.get(key))!));
		expect(Number(r.headers['content-length'])).toBe(bytes.body.length);
		expect((await sharp(bytes.body).metadata()).width).toBe(960);
	});

	it('answers 304 to a matching If-None-Match and HEAD without a body', async () => {
		const first = await request(hub.origin, `/media/${key}`, `${A.slug}.hub.test`);
		const again = await request(hub.origin, `/media/${key}`, `${A.slug}.hub.test`, {
			headers: { 'if-none-match': String(first.headers.etag) }
		});
		expect(again.status).toBe(304);
		expect(again.body).toBe('');
		const head = await request(hub.origin, `/media/${key}`, `${A.slug}.hub.test`, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.body).toBe('');
		expect(head.headers['content-type']).toBe('image/webp');
	});

	it('is public on every host the server answers, like a CDN (documented), but not on unknown hosts', async () => {
		for (const host of [`${B.slug}.hub.test`, 'hub.test']) {
			const r = await request(hub.origin, `/media/${key}`, host);
			expect(r.status).toBe(200);
			expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		}
		expect((await request(hub.origin, `/media/${key}`, 'nobody.example')).status).toBe(404);
	});

	it('answers 404 for a well-formed key with no object', async () => {
		const r = await request(hub.origin, `/media/${image.cdnKey}-123.webp`, `${A.slug}.hub.test`);
		expect(r.status).toBe(404);
		expect(r.headers['cache-control']).toBe('public, max-age=60');
	});

	it.each([
		'/media/../../../../etc/passwd',
		'/media/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
		'/media/..%2f..%2f..%2fsecret.txt',
		'/media/sites%2f..%2f..%2fsecret.txt',
		'/media/%2e%2e%2f%2e%2e%2fsecret.txt',
		'/media/%252e%252e%252fsecret.txt',
		'/media/..\\..\\secret.txt',
		'/media//etc/passwd',
		'/media/%2fetc%2fpasswd',
		'/media/.tmp/x',
		'/media/secret.txt',
		'/media/../secret.txt',
		'/media/sites/SLUG/event/notes.txt',
		'/media/sites/SLUG/event/notes.txt%00.webp',
		'/media/sites/SLUG/event/..%2fnotes.txt',
		'/media/KEY%00',
		'/media/KEY/..',
		'/media/KEY/../../../../secret.txt'
	])('refuses %s with 400 or 404 and serves nothing else', async (attempt) => {
		const pathname = attempt.replace('SLUG', A.slug).replace('KEY', key);
		let r = await request(hub.origin, pathname, `${A.slug}.hub.test`);
		// `KEY/..` normalizes to a folder path, which SvelteKit redirects to drop the trailing slash.
		if (r.status === 308) {
			expect(r.headers.location).toMatch(/^\/media\/sites\/[a-z0-9-]+\/event$/);
			r = await request(hub.origin, String(r.headers.location), `${A.slug}.hub.test`);
		}
		expect([400, 404]).toContain(r.status);
		expect(r.body).not.toContain('TOP-SECRET');
		expect(r.body).not.toContain('root:');
		expect(r.headers['content-type']).not.toBe('image/webp');
	});
});

describe.runIf(inject('templateDatabase'))('/media with the S3 driver and no CDN_BASE_URL', () => {
	const tdb = useTestDatabase();
	let s3: TestS3;
	let hub: HubServer;

	beforeAll(async () => {
		s3 = await startS3();
		useMediaStorage(s3.storage());
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, ...s3.env } });
	});
	afterAll(async () => {
		await hub?.stop();
		await s3?.close();
		useMediaStorage(undefined);
	});

	it('serves the bucket’s objects through the app', async () => {
		const site = await f.createSite();
		const image = await processUpload(site, 'logo', img.file(await img.png(600, 600), 'logo.png'));
		const [key] = variantKeys(image);
		const r = await request(hub.origin, `/media/${key}`, `${site.slug}.hub.test`);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('image/webp');
		expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		const bytes = await fetchBytes(hub.origin, `/media/${key}`, `${site.slug}.hub.test`);
		expect((await sharp(bytes.body).metadata()).width).toBe(512);
		expect((await request(hub.origin, `/media/${image.cdnKey}-9.webp`, `${site.slug}.hub.test`)).status).toBe(404);
	});
});
