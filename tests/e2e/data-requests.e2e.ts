/**
 * SvelteKit's client-navigation data request on a public site with a warm render cache: in
 * Chromium, `/events/__data.json` gets JSON, never the cached HTML of /events (it once did: both
 * had the same cache key), and /events itself is still the cached HTML page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { get, startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { DEMO_SITES, seedDemoSite } from '../../src/lib/server/seed/demo';

describe.runIf(inject('templateDatabase'))('data requests with a warm render cache', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let browser: Browser;
	const host = 'paper-cuts.hub.test';

	beforeAll(async () => {
		await seedDemoSite(DEMO_SITES.find((s) => s.slug === 'paper-cuts')!);
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('gets the events page’s data as JSON from the same origin, and the page itself as HTML', async () => {
		// Warm as the browser will ask: the server's own port is part of the page (its links).
		const hostPort = `${host}:${hub.port}`;
		for (const path of ['/', '/events']) {
			await get(hub.origin, path, hostPort);
			expect((await get(hub.origin, path, hostPort)).headers['x-render-cache'], path).toBe('hit');
		}
		const page = await browser.newPage();
		await page.goto(`http://${host}:${hub.port}/`);
		// The request SvelteKit's client router sends to navigate to /events (public pages ship
		// with csr = false, so today only a script or a crawler sends it; the hub's would).
		const data = await page.evaluate(async () => {
			const r = await fetch('/events/__data.json?x-sveltekit-invalidated=01');
			return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
		});
		expect(data.status).toBe(200);
		expect(data.type).toMatch(/^application\/json/);
		expect((JSON.parse(data.body) as { type: string }).type).toBe('data');
		const events = await page.goto(`http://${host}:${hub.port}/events`);
		expect(events?.headers()['content-type']).toMatch(/^text\/html/);
		expect(events?.headers()['x-render-cache']).toBe('hit');
		await expect.poll(() => page.locator('h1').first().textContent()).toBeTruthy();
		await page.close();
	});
});
