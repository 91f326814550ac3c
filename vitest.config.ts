import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './tests/support/sequencer.ts';

/**
 * Three projects, one `vitest run`:
 *   unit   src/**\/*.test.ts — pure units and query modules (fresh database per file)
 *   http   tests/http/**\/*.test.ts — the built server (`node build`) over real HTTP with Host headers
 *   e2e    tests/e2e/**\/*.e2e.ts — Chromium (Debian package) via playwright-core
 */
export default defineConfig({
	plugins: [paraglideVitePlugin({ project: './project.inlang', outdir: './src/lib/paraglide', strategy: ['baseLocale'] }), sveltekit()],
	test: {
		// Most test time is spent waiting on servers, PostgreSQL, Chromium and job clocks in other
		// processes, so three files run at once on these 2-core machines (Vitest's default is one
		// fewer worker than cores: 1 here). Measured on one machine, whole suite: 2 workers 788 s,
		// 3 workers 586 s (both with other work running beside them); fault tests' bounds held.
		maxWorkers: 3,
		sequence: { sequencer: LongFirstSequencer },
		// A test that asserts nothing fails (browser waits count only with an expect beside them).
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/support/global-setup.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'http',
					include: ['tests/http/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/support/global-setup.ts', 'tests/support/build-once.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.e2e.ts'],
					environment: 'node',
					globalSetup: ['tests/support/global-setup.ts', 'tests/support/build-once.ts'],
					// Browser files run beside the others: each has its own server, database and Chromium,
					// and run one at a time at the end they made the suite's last minutes single-file.
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
