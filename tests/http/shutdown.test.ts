/**
 * Graceful shutdown: SIGTERM while requests are in flight. Every request the server has received
 * gets its full answer; /readyz turns 503 at once so a load balancer stops sending traffic; the
 * process exits 0 after closing the database pool.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../support/db';
import { createEvent, createSite } from '../support/factories';
import { get, startHub, type HubServer } from '../support/server';

/** Send a request and resolve `sent` once it is fully written, `done` with the answer. */
function inFlight(origin: string, path: string, host: string) {
	const url = new URL(origin);
	let markSent!: () => void;
	const sent = new Promise<void>((r) => (markSent = r));
	const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
		const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { host }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.on('finish', markSent);
		req.end();
	});
	return { sent, done };
}

describe.runIf(inject('templateDatabase'))('graceful shutdown', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;

	beforeAll(async () => {
		const site = await createSite({ slug: 'closing', name: 'Closing Time' });
		for (let i = 0; i < 30; i++) await createEvent(site, { title: `Night ${i}` });
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, RENDER_CACHE: 'false', SHUTDOWN_DRAIN_MS: '1000' } });
	});
	afterAll(() => hub?.stop('SIGKILL'));

	it('finishes every received request after SIGTERM and exits cleanly', async () => {
		const requests = Array.from({ length: 40 }, (_, i) => inFlight(hub.origin, i % 2 ? '/events' : '/events.ics', 'closing.hub.test'));
		await Promise.all(requests.map((r) => r.sent));
		// Give the server a moment to read what was sent (it is then "in flight", not queued).
		await new Promise((r) => setTimeout(r, 20));

		const exit = new Promise<number | null>((resolve) => hub.process.once('exit', (code) => resolve(code)));
		hub.process.kill('SIGTERM');
		// While draining, readiness is withdrawn but the server still answers.
		await new Promise((r) => setTimeout(r, 100));
		expect((await get(hub.origin, '/readyz', 'localhost')).status).toBe(503);
		const results = await Promise.allSettled(requests.map((r) => r.done));
		const code = await exit;

		const failures = results.filter((r) => r.status === 'rejected');
		expect(failures).toEqual([]);
		for (const [i, r] of results.entries()) {
			const value = (r as PromiseFulfilledResult<{ status: number; body: string }>).value;
			expect(value.status).toBe(200);
			expect(value.body).toContain(i % 2 ? 'Closing Time' : 'END:VCALENDAR');
		}
		expect(code).toBe(0);
		const log = hub.output.join('');
		expect(log).toContain('"msg":"shutting down"');
		expect(log).toContain('"msg":"database closed"');
	});
});
