/**
 * One storage contract, two drivers: the local disk driver and the S3 driver against a real
 * S3-protocol server (s3rver) on loopback with path-style URLs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type TestS3 } from '../../../../tests/support/s3';
import { createLocalStorage } from './local';
import { listAll, readAll, type MediaStorage } from './storage';

let s3: TestS3;
beforeAll(async () => {
	s3 = await startS3();
});
afterAll(() => s3?.close());

const drivers: Array<[string, () => MediaStorage]> = [
	['local', () => createLocalStorage(mkdtempSync(path.join(tmpdir(), 'hub-media-')))],
	// Two keys per list page, so listing must follow continuation tokens.
	['s3', () => s3.storage({ listPageSize: 2 })]
];

describe.each(drivers)('%s driver', (_name, make) => {
	let storage: MediaStorage;
	let n = 0;
	// Each test gets its own prefix so the S3 bucket can be shared.
	const prefix = () => `sites/t${Date.now().toString(36)}${n++}/event/`;
	beforeAll(() => {
		storage = make();
	});

	it('puts and gets an object with its content type, size and an etag', async () => {
		const key = prefix() + 'a-960.webp';
		const body = Buffer.from('RIFF....WEBPdata');
		await storage.put(key, body, 'image/webp');
		const got = await storage.get(key);
		expect(got).not.toBeNull();
		expect(got!.contentType).toBe('image/webp');
		expect(got!.size).toBe(body.length);
		expect(got!.etag).toMatch(/^"[^"]+"$/);
		expect(await readAll(got!)).toEqual(body);
	});

	it('overwrites an object in place', async () => {
		const key = prefix() + 'b-480.webp';
		await storage.put(key, Buffer.from('one'), 'image/webp');
		await storage.put(key, Buffer.from('two'), 'image/webp');
		expect((await readAll((await storage.get(key))!)).toString()).toBe('two');
	});

	it('answers null and false for a missing object', async () => {
		expect(await storage.get(prefix() + 'missing-1.webp')).toBeNull();
		expect(await storage.exists(prefix() + 'missing-1.webp')).toBe(false);
	});

	it('tells whether an object exists', async () => {
		const key = prefix() + 'c-1.webp';
		await storage.put(key, Buffer.from('x'), 'image/webp');
		expect(await storage.exists(key)).toBe(true);
	});

	it('lists by prefix, across pages, and nothing outside the prefix', async () => {
		const p = prefix();
		const other = prefix();
		const keys = [1, 2, 3, 4, 5].map((i) => `${p}img${i}-${i}.webp`);
		for (const k of keys) await storage.put(k, Buffer.from(k), 'image/webp');
		await storage.put(`${other}z-1.webp`, Buffer.from('z'), 'image/webp');
		const listed = await listAll(storage, p);
		expect(listed.map((o) => o.key).sort()).toEqual([...keys].sort());
		expect(listed.every((o) => o.size === Buffer.byteLength(o.key) && o.lastModified instanceof Date)).toBe(true);
		// A prefix that ends inside a name.
		expect((await listAll(storage, `${p}img1`)).map((o) => o.key)).toEqual([keys[0]]);
		expect(await listAll(storage, `${p}nothing-here/`)).toEqual([]);
	});

	it('deletes several objects, and deleting a missing one is not an error', async () => {
		const p = prefix();
		await storage.put(`${p}d-1.webp`, Buffer.from('1'), 'image/webp');
		await storage.put(`${p}d-2.webp`, Buffer.from('2'), 'image/webp');
		await storage.put(`${p}keep-3.webp`, Buffer.from('3'), 'image/webp');
		await storage.delete([`${p}d-1.webp`, `${p}d-2.webp`, `${p}never-was-4.webp`]);
		expect((await listAll(storage, p)).map((o) => o.key)).toEqual([`${p}keep-3.webp`]);
		await storage.delete([]);
	});

	it.each([
		'../escape.webp',
		'sites/../../etc/passwd',
		'/etc/passwd',
		'sites//double.webp',
		'sites/a/.hidden',
		'sites\\a\\b.webp',
		'sites/a b.webp',
		''
	])('refuses the key %j', async (key) => {
		await expect(storage.put(key, Buffer.from('x'), 'image/webp')).rejects.toThrow(/invalid storage key/);
		await expect(storage.get(key)).rejects.toThrow(/invalid storage key/);
		await expect(storage.delete([key])).rejects.toThrow(/invalid storage key/);
	});
});

describe('local driver specifics', () => {
	it('never reports half-written files and keeps files inside its root', async () => {
		const root = mkdtempSync(path.join(tmpdir(), 'hub-media-'));
		writeFileSync(path.join(root, '..', path.basename(root) + '-secret.txt'), 'secret');
		const storage = createLocalStorage(root);
		await storage.put('sites/x/logo/a-1.webp', Buffer.from('a'), 'image/webp');
		expect((await listAll(storage, '')).map((o) => o.key)).toEqual(['sites/x/logo/a-1.webp']);
		expect(await storage.sweepTemp(new Date(Date.now() + 1000), false)).toBe(0);
		await expect(storage.get(`../${path.basename(root)}-secret.txt`)).rejects.toThrow();
	});
});
