/**
 * Graceful shutdown: SIGTERM while requests are in flight. Every request the server has received
 * gets its full answer; /readyz turns 503 at once so a load balancer stops sending traffic; the
 * process exits 0 after closing the database pool. Keep-alive clients busy through the drain are
 * told `Connection: close` and none of their requests is reset; the process exits within the
 * drain plus a second.
 */
import { Agent, request as httpRequest } from 'node:http';
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

/** One keep-alive request on `agent`; resolves with the status and whether the server asked to close. */
function keepAliveGet(agent: Agent, origin: string, path: string, host: string) {
	const url = new URL(origin);
	return new Promise<{ status: number; close: boolean }>((resolve, reject) => {
		const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { host }, agent }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, close: res.headers.connection === 'close' }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

describe.runIf(inject('templateDatabase'))('graceful shutdown with busy keep-alive clients', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	const DRAIN_MS = 1000;

	beforeAll(async () => {
		const site = await createSite({ slug: 'keepalive', name: 'Keep Alive Club' });
		for (let i = 0; i < 10; i++) await createEvent(site, { title: `Night ${i}` });
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, RENDER_CACHE: 'false', SHUTDOWN_DRAIN_MS: String(DRAIN_MS) } });
	});
	afterAll(() => hub?.stop('SIGKILL'));

	it('closes 32 busy keep-alive connections after their responses, resets none, and exits within the drain + 1 s', async () => {
		const agent = new Agent({ keepAlive: true, maxSockets: 32 });
		let signalled = false;
		const errors: string[] = [];
		let answered = 0;
		// Each client sends request after request on its connection until the server asks it to close.
		const clients = Array.from({ length: 32 }, async () => {
			for (;;) {
				try {
					const r = await keepAliveGet(agent, hub.origin, '/events', 'keepalive.hub.test');
					answered++;
					if (r.status !== 200) errors.push(`status ${r.status}`);
					if (r.close) return signalled;
				} catch (error) {
					errors.push((error as Error).message);
					return false;
				}
			}
		});
		// Every connection busy and reused before the signal (not a fixed sleep: a loaded machine is slower).
		await expect.poll(() => answered, { timeout: 10_000, interval: 20 }).toBeGreaterThan(64);
		const exit = new Promise<number | null>((resolve) => hub.process.once('exit', (code) => resolve(code)));
		const t0 = performance.now();
		signalled = true;
		hub.process.kill('SIGTERM');
		const closedAfterSignal = await Promise.all(clients);
		const code = await exit;
		const elapsed = performance.now() - t0;
		agent.destroy();

		expect(errors).toEqual([]);
		expect(answered).toBeGreaterThan(32);
		// Every client was told to close (after the signal, not before).
		expect(closedAfterSignal.every(Boolean)).toBe(true);
		expect(code).toBe(0);
		expect(elapsed).toBeLessThanOrEqual(DRAIN_MS + 1000);
	});
});
