/**
 * Copied into the build as build/fast-handler.js; adapter-node's own server entry (build/index.js,
 * with its socket activation, timeouts and graceful shutdown) is pointed at it by svelte.config.js.
 * A request first goes to the render cache's fast path (src/lib/server/public-site/fast-path.ts,
 * registered on globalThis by the server bundle's start-up), then, unless answered, to
 * adapter-node's handler as usual. Plain JavaScript: it is not bundled.
 */
const REGISTRY = Symbol.for('collective-hub.fast-path');

/**
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => unknown) => unknown} Middleware
 * @param {Middleware} handler adapter-node's handler
 * @returns {Middleware}
 */
export function fastPathFirst(handler) {
	return (req, res, next) => {
		/** @type {((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean | Promise<boolean>) | undefined} */
		const fast = /** @type {any} */ (globalThis)[REGISTRY];
		if (fast) {
			/** @type {boolean | Promise<boolean>} */
			let served;
			try {
				served = fast(req, res);
			} catch (error) {
				// Never a lost request: unless it started answering, SvelteKit takes it.
				if (res.headersSent) throw error;
				served = false;
			}
			if (served === true) return;
			// A read from the render cache's disk tier: answered from it, or SvelteKit's after all.
			if (served) {
				return served.then(
					(answered) => (answered ? undefined : handler(req, res, next)),
					(error) => {
						if (!res.headersSent) return handler(req, res, next);
						res.destroy(error);
					}
				);
			}
		}
		return handler(req, res, next);
	};
}
