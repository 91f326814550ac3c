/**
 * Build the app once per test run for the tests that start `node build` (http, e2e projects).
 * SKIP_BUILD=1 reuses an existing build/ when iterating on tests only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const g = globalThis as { __hubBuilt?: boolean };

export default function setup() {
	if (g.__hubBuilt) return;
	if (process.env.SKIP_BUILD === '1' && existsSync('build/index.js')) {
		g.__hubBuilt = true;
		return;
	}
	const started = Date.now();
	execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
		stdio: ['ignore', 'ignore', 'inherit']
	});
	console.log(`[tests] built the app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	g.__hubBuilt = true;
}
