/** The storage interface every driver implements (see storage.ts for choosing one). */
export interface StoredObject {
	key: string;
	size: number;
	lastModified: Date;
}

export interface ObjectBody {
	body: ReadableStream<Uint8Array>;
	size: number;
	contentType: string;
	/** Quoted entity tag, e.g. `"5d41402a"`. */
	etag: string;
}

export interface MediaStorage {
	readonly driver: 'local' | 's3';
	/** Store an object; readers never see a partial one. */
	put(key: string, body: Uint8Array, contentType: string): Promise<void>;
	/** The object, or null when there is none. */
	get(key: string): Promise<ObjectBody | null>;
	exists(key: string): Promise<boolean>;
	/** Remove objects; keys that do not exist are not an error. */
	delete(keys: readonly string[]): Promise<void>;
	/** Every object whose key starts with `prefix`, in no particular order. */
	list(prefix: string): AsyncIterable<StoredObject>;
}

/** Every variant is immutable: a new upload gets a new asset id and so new keys. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
