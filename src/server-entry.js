/**
 * Copied into the build as build/fast-handler.js; adapter-node's own server entry (build/index.js,
 * with its socket activation, timeouts and graceful shutdown) is pointed at it by svelte.config.js.
 * A request first goes to the render cache's fast path (src/lib/server/public-site/fast-path.ts,
 * registered on globalThis by the server bundle's start-up), then, unless answered, to polka and
 * adapter-node's handler as usual. The fast path runs in the server's `request` event itself, ahead
 * of polka: polka defers every request to a setImmediate and parses its URL and query string, a
 * good share of a cached answer's cost (issue 24). Plain JavaScript: it is not bundled.
 */
const REGISTRY = Symbol.for('collective-hub.fast-path');

/** @typedef {import('node:http').IncomingMessage} Req */
/** @typedef {import('node:http').ServerResponse} Res */

/**
 * @template {{ attach: (req: Req, res: Res) => void }} App
 * @param {App} app polka, before `listen` (which registers `app.attach` for the `request` event)
 * @returns {App}
 */
export function fastPathFirst(app) {
	const attach = app.attach;
	app.attach = (req, res) => {
		/** @type {((req: Req, res: Res) => boolean | Promise<boolean>) | undefined} */
		const fast = /** @type {any} */ (globalThis)[REGISTRY];
		if (!fast) return attach(req, res);
		/** @type {boolean | Promise<boolean>} */
		let served;
		try {
			served = fast(req, res);
		} catch (error) {
			return failed(error, req, res, attach);
		}
		if (served === true) return;
		if (served === false) return attach(req, res);
		// A read from the render cache's disk tier: answered from it, or SvelteKit's after all.
		served.then(
			(answered) => answered || attach(req, res),
			(error) => failed(error, req, res, attach)
		);
	};
	return app;
}

/** Never a lost request: unless the fast path started answering, SvelteKit takes it. */
function failed(
	/** @type {unknown} */ error,
	/** @type {Req} */ req,
	/** @type {Res} */ res,
	/** @type {(req: Req, res: Res) => void} */ attach
) {
	if (!res.headersSent) return attach(req, res);
	// Half an answer cannot be finished; the log line says so (as lib/server/log.ts writes them).
	res.destroy();
	const message = error instanceof Error ? error.stack : String(error);
	process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level: 'error', msg: 'fast path failed', error: message }) + '\n');
}
