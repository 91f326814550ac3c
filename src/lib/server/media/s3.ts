/**
 * S3-compatible driver (AWS, MinIO, R2, Bunny's S3 API). Only the plainest calls are used
 * (PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2) so every S3-speaking service
 * works; checksums are sent only where an operation requires them, which several of those
 * services need.
 */
import {
	DeleteObjectCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client
} from '@aws-sdk/client-s3';
import { isStorageKey, isStoragePrefix } from './keys';
import { IMMUTABLE_CACHE, type MediaStorage, type ObjectBody, type StoredObject } from './types';

export interface S3Options {
	endpoint?: string;
	region: string;
	bucket: string;
	accessKeyId: string;
	secretAccessKey: string;
	forcePathStyle: boolean;
	/** Keys per ListObjectsV2 page (tests make it small to exercise paging). */
	listPageSize?: number;
}

function isNotFound(error: unknown): boolean {
	const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
	return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

function checkKey(key: string): string {
	if (!isStorageKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
	return key;
}

/** Deletes run a few at a time: one request per key is the call every service supports. */
const DELETE_PARALLELISM = 8;

export function createS3Storage(options: S3Options): MediaStorage & { client: S3Client } {
	const client = new S3Client({
		endpoint: options.endpoint,
		region: options.region,
		forcePathStyle: options.forcePathStyle,
		credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED'
	});
	const Bucket = options.bucket;

	return {
		driver: 's3',
		client,

		async put(key, body, contentType) {
			await client.send(
				new PutObjectCommand({ Bucket, Key: checkKey(key), Body: body, ContentType: contentType, CacheControl: IMMUTABLE_CACHE })
			);
		},

		async get(key): Promise<ObjectBody | null> {
			try {
				const r = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key) }));
				if (!r.Body) return null;
				return {
					body: r.Body.transformToWebStream() as ReadableStream<Uint8Array>,
					size: r.ContentLength ?? 0,
					contentType: r.ContentType ?? 'application/octet-stream',
					etag: r.ETag ?? `"${key}"`
				};
			} catch (error) {
				if (isNotFound(error)) return null;
				throw error;
			}
		},

		async exists(key) {
			try {
				await client.send(new HeadObjectCommand({ Bucket, Key: checkKey(key) }));
				return true;
			} catch (error) {
				if (isNotFound(error)) return false;
				throw error;
			}
		},

		async delete(keys) {
			keys.forEach(checkKey);
			const queue = [...keys];
			const worker = async () => {
				for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
					try {
						await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
					} catch (error) {
						if (!isNotFound(error)) throw error;
					}
				}
			};
			await Promise.all(Array.from({ length: Math.min(DELETE_PARALLELISM, queue.length) }, worker));
		},

		list(prefix) {
			if (!isStoragePrefix(prefix)) throw new Error(`invalid storage prefix: ${JSON.stringify(prefix)}`);
			return (async function* (): AsyncGenerator<StoredObject> {
				let token: string | undefined;
				do {
					const page = await client.send(
						new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: options.listPageSize })
					);
					for (const o of page.Contents ?? []) {
						if (o.Key) yield { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
					}
					token = page.IsTruncated ? page.NextContinuationToken : undefined;
				} while (token);
			})();
		}
	};
}
