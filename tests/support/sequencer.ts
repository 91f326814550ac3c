/**
 * The order test files start in. Vitest's own order runs projects one after another (e2e, http,
 * unit) and, on a clean checkout with no timings cached, larger files first — so the files that
 * spend minutes waiting (two-minute cron periods, heartbeats, outages) started last and the suite
 * ended with one of them running alone. Here the known long files start first, and the rest
 * alternate between projects so two Chromium files rarely run side by side.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first: files whose time is mostly waiting on clocks, not on the CPU. */
const LONG_FIRST = [
	'src/lib/server/services/discord.test.ts',
	'tests/http/isolation-matrix.test.ts',
	'src/lib/server/jobs/workers.test.ts',
	'tests/http/fediverse-two-hubs.test.ts',
	'tests/http/outage-timing.test.ts',
	'tests/e2e/flows.e2e.ts',
	'tests/e2e/rich-text-editor.e2e.ts',
	// Three servers, one of them migrating the embedded database (its jobs no longer wait on clocks).
	'tests/http/jobs.test.ts'
];

export default class LongFirstSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const rank = (spec: TestSpecification) => LONG_FIRST.findIndex((f) => spec.moduleId.endsWith(f));
		const long = sorted.filter((s) => rank(s) >= 0).sort((a, b) => rank(a) - rank(b));
		const byProject = new Map<string, TestSpecification[]>();
		for (const spec of sorted) if (rank(spec) < 0) byProject.set(spec.project.name, [...(byProject.get(spec.project.name) ?? []), spec]);
		const rest: TestSpecification[] = [];
		for (let i = 0; rest.length < sorted.length - long.length; i++)
			for (const specs of byProject.values()) if (specs[i]) rest.push(specs[i]!);
		return [...long, ...rest];
	}
}
