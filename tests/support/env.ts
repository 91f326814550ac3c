/**
 * Environment variables for the tests of one file: set before its tests (and `env()` read again),
 * restored to what they were after them, so no other file in the same worker sees them.
 */
import { afterAll, beforeAll } from 'vitest';
import { resetEnvForTests } from '../../src/lib/server/env';

/** Set `vars` now; the returned function puts the previous values back. */
export function setTestEnv(vars: Record<string, string>): () => void {
	const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
	Object.assign(process.env, vars);
	resetEnvForTests();
	return () => {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
		resetEnvForTests();
	};
}

/** `setTestEnv` for the whole file (`vars` may be computed when its tests start). */
export function useTestEnv(vars: Record<string, string> | (() => Record<string, string>)): void {
	let restore: (() => void) | undefined;
	beforeAll(() => {
		restore = setTestEnv(typeof vars === 'function' ? vars() : vars);
	});
	afterAll(() => restore?.());
}
