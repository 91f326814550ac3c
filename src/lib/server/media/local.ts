/**
 * Local disk driver: objects are files under one root folder (DATA_DIR/media), written to a
 * temporary file and renamed into place so a reader never sees half an image. Keys are checked
 * against the storage key grammar and the resolved path must stay inside the root.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isStorageKey, isStoragePrefix } from './keys';
import type { MediaStorage, ObjectBody, StoredObject } from './types';

/** Half-written files live here until renamed; `list` never reports them. */
const TMP = '.tmp';

const CONTENT_TYPES: Record<string, string> = {
	'.webp': 'image/webp',
	'.jpg': 'image/jpeg',
	'.png': 'image/png',
	'.txt': 'text/plain; charset=utf-8'
};

function isMissing(error: unknown): boolean {
	const code = (error as { code?: string })?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}

export interface LocalStorage extends MediaStorage {
	readonly root: string;
	/** Remove temporary files older than `before` (left by a crash in the middle of a write). */
	sweepTemp(before: Date, remove: boolean): Promise<number>;
}

export function createLocalStorage(root: string): LocalStorage {
	const base = path.resolve(root);

	function fileFor(key: string): string {
		if (!isStorageKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
		const file = path.resolve(base, key);
		// Belt and braces: the grammar already rules out traversal.
		if (!file.startsWith(base + path.sep)) throw new Error(`storage key escapes the root: ${JSON.stringify(key)}`);
		return file;
	}

	async function* walk(dir: string, keyPrefix: string): AsyncGenerator<StoredObject> {
		let entries;
		try {
			entries = await readdir(dir, { withFileTypes: true });
		} catch (error) {
			if (isMissing(error)) return;
			throw error;
		}
		for (const entry of entries) {
			if (entry.name === TMP && keyPrefix === '') continue;
			const full = path.join(dir, entry.name);
			const key = keyPrefix + entry.name;
			if (entry.isDirectory()) yield* walk(full, key + '/');
			else if (entry.isFile()) {
				const s = await stat(full).catch(() => null);
				if (s) yield { key, size: s.size, lastModified: s.mtime };
			}
		}
	}

	return {
		driver: 'local',
		root: base,

		async put(key, body) {
			const file = fileFor(key);
			const tmpDir = path.join(base, TMP);
			await mkdir(tmpDir, { recursive: true });
			await mkdir(path.dirname(file), { recursive: true });
			const tmp = path.join(tmpDir, randomUUID());
			try {
				await writeFile(tmp, body);
				await rename(tmp, file);
			} catch (error) {
				await rm(tmp, { force: true }).catch(() => {});
				throw error;
			}
		},

		async get(key): Promise<ObjectBody | null> {
			const file = fileFor(key);
			let s;
			try {
				s = await stat(file);
			} catch (error) {
				if (isMissing(error)) return null;
				throw error;
			}
			if (!s.isFile()) return null;
			return {
				body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
				size: s.size,
				contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
				etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"`
			};
		},

		async exists(key) {
			try {
				return (await stat(fileFor(key))).isFile();
			} catch (error) {
				if (isMissing(error)) return false;
				throw error;
			}
		},

		async delete(keys) {
			const files = keys.map(fileFor);
			// Empty folders are left in place: removing them could race with a put into the same folder.
			await Promise.all(files.map((f) => rm(f, { force: true })));
		},

		async sweepTemp(before, remove) {
			const dir = path.join(base, TMP);
			const names = await readdir(dir).catch(() => [] as string[]);
			let stale = 0;
			for (const name of names) {
				const s = await stat(path.join(dir, name)).catch(() => null);
				if (!s || s.mtime >= before) continue;
				stale++;
				if (remove) await rm(path.join(dir, name), { force: true });
			}
			return stale;
		},

		list(prefix) {
			if (!isStoragePrefix(prefix)) throw new Error(`invalid storage prefix: ${JSON.stringify(prefix)}`);
			const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
			const dir = dirPart ? path.join(base, dirPart) : base;
			return (async function* () {
				for await (const o of walk(dir, dirPart)) if (o.key.startsWith(prefix)) yield o;
			})();
		}
	};
}
