/**
 * A counting semaphore with a bounded, first-come-first-served queue. Image work is CPU-heavy;
 * letting only a few images decode at once keeps cores (and libuv's thread pool) free for page
 * views, and the bound on waiters keeps a burst from piling up buffers in memory.
 */
export class QueueFullError extends Error {
	constructor() {
		super('semaphore queue is full');
		this.name = 'QueueFullError';
	}
}

export class Semaphore {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(
		readonly limit: number,
		readonly maxWaiting = Infinity
	) {
		if (!Number.isInteger(limit) || limit < 1) throw new Error('semaphore limit must be a positive integer');
	}

	get running(): number {
		return this.active;
	}

	get queued(): number {
		return this.waiting.length;
	}

	/** Run `task` when a slot is free; throws QueueFullError at once when too many are waiting. */
	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	private acquire(): Promise<void> {
		if (this.active < this.limit) {
			this.active++;
			return Promise.resolve();
		}
		if (this.waiting.length >= this.maxWaiting) return Promise.reject(new QueueFullError());
		// The slot is handed over directly by release(), so `active` never drops in between.
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}
}
