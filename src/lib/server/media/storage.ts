/**
 * Where image objects live. One small interface, two drivers (local disk, S3-compatible), chosen
 * from the environment once per process. Tests and scripts can install their own with
 * `useMediaStorage`.
 */
import path from 'node:path';
import { env } from '../env';
import { createLocalStorage } from './local';
import { createS3Storage } from './s3';
import type { MediaStorage, ObjectBody, StoredObject } from './types';

export type { MediaStorage, ObjectBody, StoredObject } from './types';
export { IMMUTABLE_CACHE } from './types';

let current: MediaStorage | undefined;

export function mediaStorage(): MediaStorage {
	if (current) return current;
	const e = env();
	current =
		e.MEDIA_DRIVER === 's3'
			? createS3Storage({
					endpoint: e.S3_ENDPOINT,
					region: e.S3_REGION,
					bucket: e.S3_BUCKET!,
					accessKeyId: e.S3_ACCESS_KEY_ID!,
					secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
					forcePathStyle: e.S3_FORCE_PATH_STYLE
				})
			: createLocalStorage(path.resolve(e.DATA_DIR, 'media'));
	return current;
}

/** Tests and scripts: use this storage in this process (undefined: back to the environment's). */
export function useMediaStorage(storage: MediaStorage | undefined): void {
	current = storage;
}

export async function readAll(object: ObjectBody): Promise<Buffer> {
	return Buffer.from(await new Response(object.body).arrayBuffer());
}

export async function listAll(storage: MediaStorage, prefix: string): Promise<StoredObject[]> {
	const out: StoredObject[] = [];
	for await (const o of storage.list(prefix)) out.push(o);
	return out;
}
