/**
 * Test-only preload (`node --import`) for tests/http/fast-path.test.ts: wraps the fast path the
 * server bundle registers on globalThis so that a request carrying `x-test-slow-path: 1` skips it
 * (the same server then answers it through SvelteKit's handle chain, from the same cache entry),
 * and every request the fast path answered is reported on stderr as `fast-path <method> <url>`.
 */
const REGISTRY = Symbol.for('collective-hub.fast-path');
let inner;
Object.defineProperty(globalThis, REGISTRY, {
	configurable: true,
	set(fn) {
		inner = fn;
	},
	get() {
		if (!inner) return undefined;
		return (req, res) => {
			if (req.headers['x-test-slow-path'] === '1') return false;
			const report = (served) => {
				if (served) process.stderr.write(`fast-path ${req.method} ${req.url}\n`);
				return served;
			};
			// A promise while it reads the disk tier.
			const served = inner(req, res);
			return typeof served === 'boolean' ? report(served) : served.then(report);
		};
	}
});
