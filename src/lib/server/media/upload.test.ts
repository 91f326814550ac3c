/**
 * The upload pipeline on real PostgreSQL and real storage: what it stores for good images, and
 * for every kind of bad input a clear 4xx with nothing left behind (rows and objects counted).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import * as img from '../../../../tests/support/images';
import { startS3, type TestS3 } from '../../../../tests/support/s3';
import { db } from '../db';
import { asset } from '../db/schema';
import { AppError } from '../errors';
import { env } from '../env';
import { type AssetRow } from '../queries/assets';
import { listSiteAudit } from '../queries/audit';
import { createLocalStorage } from './local';
import { listAll, readAll, useMediaStorage, type MediaStorage } from './storage';
import { processUpload, imageGateState } from './upload';
import { variantKeys } from './keys';
import { planWidths } from './image';
import { imageThreadNiceValues, IMAGE_THREAD_NICE } from './priority';

useTestDatabase();

const local = createLocalStorage(mkdtempSync(path.join(tmpdir(), 'hub-media-')));
let site: Awaited<ReturnType<typeof f.createSite>>;

beforeAll(async () => {
	useMediaStorage(local);
	site = await f.createSite();
});
afterAll(() => useMediaStorage(undefined));

async function totals(storage: MediaStorage = local) {
	const [rows] = await db().select({ n: count() }).from(asset);
	return { rows: rows!.n, objects: (await listAll(storage, '')).length };
}

async function variantMeta(storage: MediaStorage, row: AssetRow) {
	return Promise.all(
		variantKeys(row).map(async (key) => {
			const data = await readAll((await storage.get(key))!);
			return { key, data, meta: await sharp(data).metadata() };
		})
	);
}

describe('good images', () => {
	it('stores WebP variants at the kind’s widths and one row describing them', async () => {
		const before = await totals();
		const row = await processUpload(site, 'event', img.file(await img.jpeg(2000, 1500), 'Poster.JPG', 'image/jpeg'), {
			altText: '  A poster  '
		});
		expect(row.siteId).toBe(site.id);
		expect(row.kind).toBe('event');
		expect(row.cdnKey).toBe(`sites/${site.slug}/event/${row.id}`);
		expect(row.variants).toEqual([1600, 960, 480]);
		expect([row.width, row.height]).toEqual([1600, 1200]);
		expect(row.altText).toBe('A poster');
		expect(row.originalName).toBe('Poster.JPG');
		const variants = await variantMeta(local, row);
		expect(variants.map((v) => [v.meta.format, v.meta.width, v.meta.height])).toEqual([
			['webp', 1600, 1200],
			['webp', 960, 720],
			['webp', 480, 360]
		]);
		expect(row.bytes).toBe(variants.reduce((n, v) => n + v.data.length, 0));
		expect(await totals()).toEqual({ rows: before.rows + 1, objects: before.objects + 3 });
	});

	it('never upscales: a small image keeps its own width once', async () => {
		const row = await processUpload(site, 'page', img.file(await img.jpeg(300, 200), 'small.jpg'));
		expect(row.variants).toEqual([300]);
		expect([row.width, row.height]).toEqual([300, 200]);
		const mid = await processUpload(site, 'event', img.file(await img.jpeg(1000, 500), 'mid.jpg'));
		expect(mid.variants).toEqual([1000, 960, 480]);
	});

	it('keeps transparency of a PNG logo', async () => {
		const row = await processUpload(site, 'logo', img.file(await img.png(800, 400), 'logo.png'));
		expect(row.variants).toEqual([512, 256]);
		const [largest] = await variantMeta(local, row);
		expect(largest!.meta.hasAlpha).toBe(true);
	});

	it.each([
		['webp', () => img.noisy(640, 480).webp().toBuffer()],
		['avif', () => img.noisy(640, 480).avif({ effort: 0 }).toBuffer()],
		['gif', () => img.solid(640, 480).gif().toBuffer()]
	])('accepts %s', async (_format, make) => {
		const row = await processUpload(site, 'event', img.file(await make(), 'upload.bin'));
		expect(row.variants).toEqual([640, 480]);
	});

	it('applies EXIF orientation to the pixels, then strips all metadata', async () => {
		// 300×200 pixels stored sideways: orientation 6 means "rotate 90° clockwise to display".
		const input = await img
			.solid(300, 200)
			.jpeg()
			.withExif({ IFD0: { Copyright: 'SECRET-EXIF-MARKER', Artist: 'Someone' } })
			.withMetadata({ orientation: 6 })
			.toBuffer();
		const inputMeta = await sharp(input).metadata();
		expect(inputMeta.orientation).toBe(6);
		expect(input.includes('SECRET-EXIF-MARKER')).toBe(true);

		const row = await processUpload(site, 'page', img.file(input, 'sideways.jpg'));
		expect([row.width, row.height]).toEqual([200, 300]);
		for (const v of await variantMeta(local, row)) {
			expect([v.meta.width, v.meta.height]).toEqual([200, 300]);
			expect(v.meta.orientation).toBeUndefined();
			expect(v.meta.exif).toBeUndefined();
			expect(v.meta.xmp).toBeUndefined();
			expect(v.meta.icc).toBeUndefined();
			expect(v.data.includes('SECRET-EXIF-MARKER')).toBe(false);
			expect(v.data.includes('EXIF')).toBe(false);
		}
	});

	it('stores an animated GIF as its first frame (a still WebP)', async () => {
		const before = await totals();
		const row = await processUpload(site, 'event', img.file(await img.animatedGif(), 'party.gif'));
		expect(row.variants).toEqual([64]);
		const [v] = await variantMeta(local, row);
		expect(v!.meta.pages ?? 1).toBe(1);
		const { data } = await sharp(v!.data).raw().toBuffer({ resolveWithObject: true });
		// First frame is red.
		expect([data[0], data[1], data[2]]).toEqual([expect.closeTo(255, -1), expect.closeTo(0, -1), expect.closeTo(0, -1)]);
		expect(await totals()).toEqual({ rows: before.rows + 1, objects: before.objects + 1 });
	});

	it('records the upload in the audit trail when an actor is given', async () => {
		const row = await processUpload(site, 'event', img.file(await img.jpeg(100, 100), 'audited.jpg'), {
			actor: { userId: null, name: 'Tester' }
		});
		const audit = await listSiteAudit(site.id, 5);
		expect(audit.some((a) => a.action === 'asset.upload' && a.targetId === row.id && a.actorName === 'Tester')).toBe(true);
	});
});

describe('bad input: a clear 4xx, no row, no object', () => {
	const MAX_MB = env().UPLOAD_MAX_BYTES / (1024 * 1024);
	const cases: Array<[string, () => Promise<File> | File, number, RegExp]> = [
		['0 bytes', () => img.file(new Uint8Array(0), 'empty.jpg', 'image/jpeg'), 422, /^This file is empty\.$/],
		[
			'a truncated JPEG',
			async () => {
				const whole = await img.jpeg(800, 600);
				return img.file(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.jpg', 'image/jpeg');
			},
			422,
			/^This image is damaged or incomplete/
		],
		[
			'text renamed .jpg',
			() => img.file('Dear diary, today I uploaded a text file.\n'.repeat(20), 'photo.jpg', 'image/jpeg'),
			415,
			/^This file is not an image\.$/
		],
		['a PDF', () => img.file('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'flyer.jpg'), 415, /^This file is not an image\.$/],
		[
			'a PNG bomb (100 000 × 100 000 header, tiny file)',
			() => img.file(img.pngBomb(), 'bomb.png', 'image/png'),
			413,
			/^Image is larger than 40 megapixels\.$/
		],
		[
			'a PNG bomb made by sharp (8000 × 8000, a few hundred KB)',
			async () => img.file(await img.solid(8000, 8000, { r: 255, g: 255, b: 255 }).png({ compressionLevel: 9 }).toBuffer(), 'white.png'),
			413,
			/^Image is larger than 40 megapixels\.$/
		],
		[
			'a 60 megapixel JPEG',
			async () => img.file(await img.solid(10_000, 6_000).jpeg({ quality: 50 }).toBuffer(), 'huge.jpg'),
			413,
			/^Image is larger than 40 megapixels\.$/
		],
		['an SVG with a script', () => img.file(img.svgWithScript, 'logo.svg', 'image/svg+xml'), 415, /^SVG images are not accepted/],
		['an SVG renamed .png', () => img.file(img.svgWithScript, 'logo.png', 'image/png'), 415, /^SVG images are not accepted/],
		['a TIFF', async () => img.file(await img.solid(50, 50).tiff().toBuffer(), 'scan.tif'), 415, /^This image format is not accepted/],
		[
			'an oversized body (declared size over UPLOAD_MAX_BYTES)',
			() => img.file(new Uint8Array(env().UPLOAD_MAX_BYTES + 1), 'big.jpg', 'image/jpeg'),
			413,
			new RegExp(`^Image is larger than ${MAX_MB} MB\\.$`)
		]
	];

	it.each(cases)('%s', async (_name, make, status, message) => {
		const upload = await make();
		const before = await totals();
		const error = await processUpload(site, 'event', upload).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).status).toBe(status);
		expect((error as AppError).message).toMatch(message);
		expect(await totals()).toEqual(before);
	});

	it('HEIC: decoded when sharp can, else refused with a HEIC-specific message', async () => {
		const before = await totals();
		if (await img.canEncodeHeic()) {
			const heic = await img.solid(64, 64).heif({ compression: 'hevc' }).toBuffer();
			const row = await processUpload(site, 'event', img.file(heic, 'IMG_0001.HEIC'));
			expect(row.variants).toEqual([64]);
			return;
		}
		const error = await processUpload(site, 'event', img.file(img.heicHeader(), 'IMG_0001.HEIC', 'image/heic')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).status).toBe(415);
		expect((error as AppError).message).toMatch(/^HEIC photos cannot be read here/);
		expect(await totals()).toEqual(before);
	});

	it('alt text over the limit is refused before any work', async () => {
		const before = await totals();
		const error = await processUpload(site, 'event', img.file(await img.jpeg(50, 50), 'a.jpg'), { altText: 'x'.repeat(501) }).catch(
			(e: unknown) => e
		);
		expect((error as AppError).status).toBe(422);
		expect(await totals()).toEqual(before);
	});
});

describe('failures after the image work leave nothing behind', () => {
	it('the row insert fails (site gone): the objects written are deleted', async () => {
		const ghost = { id: '00000000-0000-4000-8000-000000000000', slug: 'ghost-site' };
		const before = await totals();
		await expect(processUpload(ghost, 'event', img.file(await img.jpeg(1200, 800), 'a.jpg'))).rejects.toThrow();
		expect(await totals()).toEqual(before);
		expect(await listAll(local, 'sites/ghost-site/')).toEqual([]);
	});

	it('a storage write fails: the other objects are deleted and the error is a 503 for the form', async () => {
		let puts = 0;
		const flaky: MediaStorage = {
			...local,
			driver: 'local',
			put: async (key, body, type) => {
				if (++puts === 2) throw new Error('disk full');
				await local.put(key, body, type);
			}
		};
		useMediaStorage(flaky);
		try {
			const before = await totals();
			const error = await processUpload(site, 'event', img.file(await img.jpeg(1200, 800), 'a.jpg')).catch((e: unknown) => e);
			expect((error as AppError).status).toBe(503);
			expect((error as AppError).message).toMatch(/could not be stored/);
			expect(puts).toBe(3);
			expect(await totals()).toEqual(before);
		} finally {
			useMediaStorage(local);
		}
	});
});

describe('concurrency', () => {
	it('processes at most MEDIA_CONCURRENCY images at once; the rest wait their turn', async () => {
		const limit = env().MEDIA_CONCURRENCY;
		const input = await img.jpeg(800, 600);
		let maxRunning = 0;
		let maxQueued = 0;
		let done = false;
		const sample = async () => {
			while (!done) {
				const s = imageGateState();
				maxRunning = Math.max(maxRunning, s.running);
				maxQueued = Math.max(maxQueued, s.queued);
				await new Promise((r) => setImmediate(r));
			}
		};
		const sampling = sample();
		const rows = await Promise.all(
			Array.from({ length: limit + 3 }, (_, i) => processUpload(site, 'event', img.file(input, `burst-${i}.jpg`)))
		).finally(() => (done = true));
		await sampling;
		expect(rows).toHaveLength(limit + 3);
		expect(maxRunning).toBe(limit);
		expect(maxQueued).toBeGreaterThan(0);
		expect(imageGateState()).toMatchObject({ running: 0, queued: 0 });
	});

	it.runIf(process.platform === 'linux')('runs image threads at a lower CPU priority than the event loop', async () => {
		await processUpload(site, 'event', img.file(await img.jpeg(600, 400), 'nice.jpg'));
		const nice = imageThreadNiceValues();
		expect(nice.length).toBeGreaterThan(0);
		expect(nice.every((n) => n === IMAGE_THREAD_NICE)).toBe(true);
		const mainThreadNice = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]);
		expect(mainThreadNice).toBeLessThan(IMAGE_THREAD_NICE);
	});
});

describe('on the S3 driver', () => {
	let s3: TestS3;
	beforeAll(async () => {
		s3 = await startS3();
	});
	afterAll(() => s3?.close());

	it('stores the variants in the bucket and leaves nothing for bad input', async () => {
		const storage = s3.storage();
		useMediaStorage(storage);
		try {
			const row = await processUpload(site, 'background', img.file(await img.jpeg(3000, 2000), 'bg.jpg'));
			expect(row.variants).toEqual([2400, 1600, 960]);
			const stored = await listAll(storage, `sites/${site.slug}/`);
			expect(stored.map((o) => o.key).sort()).toEqual(variantKeys(row).sort());
			const first = (await storage.get(variantKeys(row)[0]!))!;
			expect(first.contentType).toBe('image/webp');
			expect((await sharp(await readAll(first)).metadata()).width).toBe(2400);

			const before = await totals(storage);
			await expect(processUpload(site, 'event', img.file('not an image', 'x.jpg'))).rejects.toMatchObject({ status: 415 });
			await expect(
				processUpload(
					{ id: '00000000-0000-4000-8000-000000000001', slug: 'ghost-s3' },
					'event',
					img.file(await img.jpeg(500, 500), 'a.jpg')
				)
			).rejects.toThrow();
			expect(await totals(storage)).toEqual(before);
		} finally {
			useMediaStorage(local);
		}
	});
});

describe('planWidths', () => {
	it('caps at the image width and at WebP’s 16383 px side, removing duplicates', () => {
		expect(planWidths([1600, 960, 480], 4000, 3000)).toEqual([1600, 960, 480]);
		expect(planWidths([1600, 960, 480], 960, 3000)).toEqual([960, 480]);
		expect(planWidths([512, 256], 100, 100)).toEqual([100]);
		// 1000 × 40000: a 1000-wide variant would be 40000 tall, over WebP's limit.
		expect(planWidths([1600, 960, 480], 1000, 40_000)).toEqual([409]);
	});
});
