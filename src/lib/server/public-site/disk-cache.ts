/**
 * The render cache's second tier: finished compressed pages on local disk (`DATA_DIR/page-cache`),
 * so far more pages stay warm than memory holds, and a restart does not start cold. Memory (L1,
 * render-cache.ts) stays the first place looked; a miss there reads the page's file before
 * rendering and puts it back in memory.
 *
 * Layout: `sites/<siteId>/<sha256 of key>`, one file per entry: a magic, the entry's metadata as
 * JSON (key, status, headers, ETag, expiry, the change number it was stored under), the bodies,
 * and a CRC-32 of all of it. Written to a temporary name and renamed, so a reader sees a whole
 * file or none; a file that is truncated, corrupt, of another key or expired is never served
 * (and is deleted).
 *
 * Staying right:
 * - a site's change renames `sites/<siteId>` into `trash/` (O(1), synchronously, so no later read
 *   finds one of its files) and deletes it in the background. `all` does the same with `sites/`.
 * - a write that began before a change is not kept: the render's generation token is checked
 *   before and after the file lands (render-cache.ts), and the file unlinked if it moved on.
 * - a process that was not running hears no change. `checkpoint` holds the last change number
 *   (migration 0007's sequence, carried by every NOTIFY) whose drops are done on disk; at start-up,
 *   once the listener listens, it is compared with the database's last number: equal, every file
 *   is still right; different (or unknown), changes were missed and which sites they touched is
 *   not known, so the whole tier is dropped. Each entry also records the change number it was
 *   stored under (for inspection; an older number alone does not make it wrong: changes of other
 *   sites move the number on too).
 *
 * Bounded by bytes: when the written total passes the bound, the oldest files (by mtime) are
 * deleted until it is 80 % of it; the total is re-measured on each such sweep.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { CachedResponse } from './render-cache';

const MAGIC = Buffer.from('CHL2');
/**
 * Writes under way at most; past it a page is simply not written (it is in memory, and the next
 * miss writes it). Each holds its encoded file (~9 KB) until the disk has it: without a bound, a
 * burst of misses on a slow disk would queue without limit.
 */
const MAX_PENDING_WRITES = 64;
const SAFE_ID = /^[\w-]{1,80}$/;

interface Meta {
	key: string;
	siteId: string;
	status: number;
	route: string | null;
	headers: [string, string][];
	etag: string | null;
	length: number;
	freshUntil: number;
	/** The change number heard when stored (null: none yet). */
	seq: string | null;
	br: number;
	gzip: number;
	raw: number;
}

export interface DiskTierStats {
	reads: number;
	hits: number;
	/** Files found but not served (corrupt, truncated, other key, expired, too old). */
	rejected: number;
	writes: number;
	/** Writes skipped because MAX_PENDING_WRITES were under way. */
	skipped: number;
	evicted: number;
}

/** Encode an entry as its file's bytes. */
export function encodeEntry(key: string, entry: CachedResponse, seq: bigint | null): Buffer {
	const meta: Meta = {
		key,
		siteId: entry.siteId,
		status: entry.status,
		route: entry.route,
		headers: entry.headers,
		etag: entry.etag,
		length: entry.length,
		freshUntil: entry.freshUntil ?? 0,
		seq: seq === null ? null : String(seq),
		br: entry.br?.byteLength ?? 0,
		gzip: entry.gzip?.byteLength ?? 0,
		raw: entry.raw?.byteLength ?? 0
	};
	const json = Buffer.from(JSON.stringify(meta));
	const head = Buffer.alloc(8);
	MAGIC.copy(head, 0);
	head.writeUInt32LE(json.byteLength, 4);
	const parts = [head, json, entry.br, entry.gzip, entry.raw].filter((p): p is Buffer => !!p);
	const body = Buffer.concat(parts);
	const tail = Buffer.alloc(4);
	tail.writeUInt32LE(crc32(body) >>> 0, 0);
	return Buffer.concat([body, tail]);
}

/** An entry from its file's bytes, or null for anything not exactly what encodeEntry wrote. */
export function decodeEntry(bytes: Buffer): { meta: Meta; entry: CachedResponse } | null {
	if (bytes.byteLength < 12 || !bytes.subarray(0, 4).equals(MAGIC)) return null;
	const end = bytes.byteLength - 4;
	if (crc32(bytes.subarray(0, end)) >>> 0 !== bytes.readUInt32LE(end)) return null;
	const jsonLength = bytes.readUInt32LE(4);
	if (8 + jsonLength > end) return null;
	let meta: Meta;
	try {
		meta = JSON.parse(bytes.subarray(8, 8 + jsonLength).toString('utf8')) as Meta;
	} catch {
		return null;
	}
	if (typeof meta?.key !== 'string' || typeof meta.siteId !== 'string' || !Array.isArray(meta.headers)) return null;
	let at = 8 + jsonLength;
	const take = (n: number) => {
		if (!Number.isInteger(n) || n < 0) throw new RangeError('length');
		const part = n ? new Uint8Array(bytes.subarray(at, at + n)) : undefined;
		at += n;
		return part;
	};
	try {
		const br = take(meta.br);
		const gzip = take(meta.gzip);
		const raw = take(meta.raw);
		if (at !== end || (!raw && !gzip)) return null;
		return {
			meta,
			entry: {
				siteId: meta.siteId,
				status: meta.status,
				route: meta.route,
				headers: meta.headers,
				etag: meta.etag,
				length: meta.length,
				freshUntil: meta.freshUntil,
				...(raw ? { raw } : { br: br ?? new Uint8Array(0), gzip })
			}
		};
	} catch {
		return null;
	}
}

export class DiskTier {
	readonly stats: DiskTierStats = { reads: 0, hits: 0, rejected: 0, writes: 0, skipped: 0, evicted: 0 };
	/** Bytes written since the last measurement (an upper bound: drops are not subtracted). */
	private bytes = 0;
	private sweeping: Promise<void> | null = null;
	private writing = 0;
	/** Null until verified against the database's change number: nothing is read or written before. */
	private floor: bigint | null | undefined;

	constructor(
		private readonly dir: string,
		private readonly maxBytes: number,
		/** The highest change number this process has heard (hosts/index.ts). */
		private readonly heard: () => bigint | null = () => null
	) {
		mkdirSync(path.join(this.dir, 'sites'), { recursive: true });
		mkdirSync(path.join(this.dir, 'trash'), { recursive: true });
		// Left by an earlier process that stopped while deleting.
		void this.emptyTrash();
	}

	/** Writes under way. */
	get pending(): number {
		return this.writing;
	}

	get ready(): boolean {
		return this.floor !== undefined;
	}

	/**
	 * Start-up, once this process listens for changes: keep the files only when no change was
	 * made since the last one whose drops reached this disk.
	 */
	verify(last: bigint | null): boolean {
		let saved: string | null = null;
		try {
			saved = readFileSync(path.join(this.dir, 'checkpoint'), 'utf8').trim();
		} catch {
			// No checkpoint: a new tier, or one whose state is unknown.
		}
		const kept = saved === (last === null ? 'none' : String(last));
		if (!kept) this.moveToTrash('sites');
		this.floor = last;
		this.checkpoint(last);
		void this.measure();
		return kept;
	}

	/** The file of a key, under its site's directory (null for an id unfit for a path). */
	private file(siteId: string, key: string): string | null {
		if (!SAFE_ID.test(siteId)) return null;
		return path.join(this.dir, 'sites', siteId, createHash('sha256').update(key).digest('hex').slice(0, 40));
	}

	async read(key: string, siteId: string): Promise<CachedResponse | undefined> {
		if (this.floor === undefined) return undefined;
		const file = this.file(siteId, key);
		if (!file) return undefined;
		this.stats.reads++;
		let bytes: Buffer;
		try {
			bytes = await readFile(file);
		} catch {
			return undefined;
		}
		const decoded = decodeEntry(bytes);
		if (!decoded || decoded.meta.key !== key || decoded.meta.siteId !== siteId || !(decoded.entry.freshUntil! > Date.now())) {
			this.stats.rejected++;
			void unlink(file).catch(() => {});
			return undefined;
		}
		this.stats.hits++;
		return decoded.entry;
	}

	/**
	 * Write an entry off the request path. `stillValid` is asked after the file is in place: when
	 * the site changed meanwhile, the file is removed again.
	 */
	async write(key: string, entry: CachedResponse, stillValid: () => boolean): Promise<boolean> {
		if (this.floor === undefined || this.maxBytes <= 0) return false;
		const file = this.file(entry.siteId, key);
		if (!file) return false;
		if (this.writing >= MAX_PENDING_WRITES) {
			this.stats.skipped++;
			return false;
		}
		this.writing++;
		try {
			return await this.writeFile(file, key, entry, stillValid);
		} finally {
			this.writing--;
		}
	}

	private async writeFile(file: string, key: string, entry: CachedResponse, stillValid: () => boolean): Promise<boolean> {
		const bytes = encodeEntry(key, entry, this.heard() ?? this.floor ?? null);
		if (bytes.byteLength > this.maxBytes) return false;
		const tmp = `${file}.${randomUUID()}.tmp`;
		try {
			await mkdir(path.dirname(file), { recursive: true });
			await writeFile(tmp, bytes);
			if (!stillValid()) {
				await unlink(tmp).catch(() => {});
				return false;
			}
			await rename(tmp, file);
		} catch {
			await unlink(tmp).catch(() => {});
			return false;
		}
		if (!stillValid()) {
			await unlink(file).catch(() => {});
			return false;
		}
		this.stats.writes++;
		this.bytes += bytes.byteLength;
		if (this.bytes > this.maxBytes) void this.sweep();
		return true;
	}

	/** A change that dropped nothing here was still heard: the checkpoint moves on. */
	applied(): void {
		this.checkpoint(this.heard());
	}

	/** O(1): the site's directory leaves `sites/` at once; its files are deleted in the background. */
	dropSite(siteId: string): void {
		if (SAFE_ID.test(siteId)) this.moveToTrash(path.join('sites', siteId));
		this.checkpoint(this.heard());
	}

	clear(): void {
		this.moveToTrash('sites');
		this.checkpoint(this.heard());
	}

	private moveToTrash(relative: string): void {
		try {
			renameSync(path.join(this.dir, relative), path.join(this.dir, 'trash', randomUUID()));
		} catch {
			// Nothing there (a site without files).
		}
		mkdirSync(path.join(this.dir, 'sites'), { recursive: true });
		void this.emptyTrash();
	}

	/** The change number whose drops are all on disk now (read back at the next start-up). */
	private checkpoint(seq: bigint | null): void {
		if (this.floor === undefined) return;
		try {
			const tmp = path.join(this.dir, `checkpoint.${process.pid}.tmp`);
			writeFileSync(tmp, seq === null ? 'none' : String(seq));
			renameSync(tmp, path.join(this.dir, 'checkpoint'));
		} catch {
			// A disk that refuses: the next start-up finds an older checkpoint and drops the tier.
		}
	}

	private async emptyTrash(): Promise<void> {
		const trash = path.join(this.dir, 'trash');
		for (const name of await readdir(trash).catch(() => [] as string[])) {
			await rm(path.join(trash, name), { recursive: true, force: true }).catch(() => {});
		}
	}

	/** Every entry file with its size and age. */
	private async files(): Promise<{ file: string; size: number; mtime: number }[]> {
		const found: { file: string; size: number; mtime: number }[] = [];
		const sites = path.join(this.dir, 'sites');
		for (const site of await readdir(sites).catch(() => [] as string[])) {
			const dir = path.join(sites, site);
			for (const name of await readdir(dir).catch(() => [] as string[])) {
				if (name.endsWith('.tmp')) continue;
				const file = path.join(dir, name);
				const s = await stat(file).catch(() => null);
				if (s) found.push({ file, size: s.size, mtime: s.mtimeMs });
			}
		}
		return found;
	}

	private async measure(): Promise<void> {
		this.bytes = (await this.files()).reduce((sum, f) => sum + f.size, 0);
		if (this.bytes > this.maxBytes) await this.sweep();
	}

	/** Oldest first until 80 % of the bound. */
	sweep(): Promise<void> {
		this.sweeping ??= (async () => {
			const files = await this.files();
			let total = files.reduce((sum, f) => sum + f.size, 0);
			files.sort((a, b) => a.mtime - b.mtime);
			for (const f of files) {
				if (total <= this.maxBytes * 0.8) break;
				await unlink(f.file).catch(() => {});
				total -= f.size;
				this.stats.evicted++;
			}
			this.bytes = total;
		})().finally(() => {
			this.sweeping = null;
		});
		return this.sweeping;
	}
}
