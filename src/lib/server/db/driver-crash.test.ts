/**
 * postgres-js 3.4.9 crashes the process when a connection closes between a small write and its
 * flush (upstream issues #1066, #1154, #1208): `nextWrite` runs from a setImmediate and calls
 * `socket.write` on the socket `closed()` has just set to null, and the TypeError, thrown from
 * the immediate, is uncatchable. patches/postgres+3.4.9.patch carries the guard of upstream PR
 * #1168 (which settles the waiting queries instead of dropping them). This runs the deterministic
 * trigger from #1208 in a child process (a crash there must not take the test runner down): a
 * transaction whose backend is terminated mid-query, after which postgres-js sends its own
 * ROLLBACK on the dead connection. Without the patch the child dies with that TypeError. Four rounds
 * on a pool of two reuse each reconnected connection: the patch also clears the dead backend's
 * last error and query, which otherwise made the next query on that connection hang.
 */
import { execFile } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';

const child = `
import postgres from 'postgres';
const url = process.env.REPRO_URL;
const sql = postgres(url, { max: 2, onnotice() {} });
const killer = postgres(url, { max: 1, onnotice() {} });
const outcomes = [];
for (let round = 0; round < 4; round++) {
	let pid = null;
	// Settled handlers attached at once: the backend may die before the killer's answer arrives.
	const tx = sql
		.begin(async (t) => {
			pid = (await t\`select pg_backend_pid() as pid\`)[0].pid;
			await t\`select pg_sleep(5)\`;
		})
		.then(() => 'committed', (e) => e.code);
	while (pid === null) await new Promise((r) => setTimeout(r, 20));
	await killer\`select pg_terminate_backend(\${pid})\`;
	outcomes.push(await tx);
	// The crash comes from an immediate after the rejection; give it time to happen.
	await new Promise((r) => setTimeout(r, 100));
}
// The pool still answers afterwards.
outcomes.push((await sql\`select 1 as one\`)[0].one);
await sql.end({ timeout: 1 });
await killer.end({ timeout: 1 });
console.log(JSON.stringify(outcomes));
`;

describe.runIf(inject('templateDatabase'))('postgres-js closed-socket write (patched)', () => {
	const tdb = useTestDatabase();

	it('survives a backend terminated under a transaction, and the query is settled', async () => {
		const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
			const p = execFile(
				process.execPath,
				['--input-type=module', '-e', child],
				{ env: { ...process.env, REPRO_URL: tdb.url! }, timeout: 20_000 },
				(error, stdout, stderr) => resolve({ code: p.exitCode ?? (error ? 1 : 0), stdout, stderr })
			);
		});
		expect(result.stderr).not.toContain("reading 'write'");
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout.trim())).toEqual([...Array(4).fill('CONNECTION_CLOSED'), 1]);
	});
});
