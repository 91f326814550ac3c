/**
 * The render cache's disk tier over real HTTP against the built server: a page cached, the process
 * restarted on the same DATA_DIR, and the first request answered from disk (`x-render-cache: l2`)
 * with the same status, headers and bytes; an admin change re-renders that site only; a change
 * made while no server listened drops the tier at the next start; site B never gets A's page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { request, startHub, type HttpResult, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { createDomain, createSite, superAdmin } from '../support/factories';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { saveHome } from '../../src/lib/server/queries/home';
import { updateHome } from '../../src/lib/server/services/home';
import { write } from '../../src/lib/server/services/write';

const state = (r: HttpResult) => r.headers['x-render-cache'];
const browser = { 'accept-encoding': 'gzip, deflate, br' };
/** Headers that belong to one response, not to the page. */
const PER_RESPONSE = new Set(['date', 'x-render-cache', 'x-db-queries', 'connection', 'keep-alive']);
const pageHeaders = (r: HttpResult) => Object.entries(r.headers).filter(([name]) => !PER_RESPONSE.has(name));
const text = (r: HttpResult) => (r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.buffer).toString() : r.body);

describe.runIf(inject('templateDatabase'))('render cache disk tier', () => {
	const tdb = useTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-l2-'));
	const A = { host: 'disk-a.example', name: 'Alpha Disk Club' } as { host: string; name: string; id: string };
	const B = { host: 'disk-b.example', name: 'Beta Disk Club' } as { host: string; name: string; id: string };
	const actor = { userId: null, name: 'test' };
	let hub: HubServer | undefined;

	const start = async () => {
		hub = await startHub({ env: { DATABASE_URL: tdb.url!, DATA_DIR: dataDir, RUN_MIGRATIONS: 'false' } });
		return hub;
	};
	const get = (host: string, pathname = '/') => request(hub!.origin, pathname, host, { headers: browser, fresh: true });
	/** The disk write is off the request path: wait until the file is there (a second server would read it). */
	const settle = () => new Promise((r) => setTimeout(r, 300));

	beforeAll(async () => {
		for (const s of [A, B]) {
			const row = await createSite({ name: s.name, timezone: 'Europe/Berlin' });
			s.id = row.id;
			const domain = await createDomain(row.id, s.host, true);
			await setPrimaryDomain(row.id, domain.id);
			await saveHome(row.id, { heroTitle: `${s.name} hero`, heroText: '', intro: `${s.name} intro`, showEvents: true, showLinks: true });
		}
	}, 60_000);

	afterAll(async () => {
		await hub?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('answers the first request after a restart from disk, with the same headers and bytes', async () => {
		await start();
		const first = await get(A.host);
		expect([first.status, state(first)]).toEqual([200, 'miss']);
		expect(state(await get(B.host, '/events'))).toBe('miss');
		await settle();
		await hub!.stop();

		await start();
		expect(hub!.output.join('')).toContain('render cache disk tier kept');
		const again = await get(A.host);
		expect([again.status, state(again)]).toEqual([200, 'l2']);
		expect(again.buffer.equals(first.buffer)).toBe(true);
		expect(pageHeaders(again)).toEqual(pageHeaders(first));
		expect(text(again)).toContain(`${A.name} hero`);
		// Back in memory: the next one is an ordinary hit.
		expect(state(await get(A.host))).toBe('hit');
	});

	it('never answers site B with site A’s file', async () => {
		const b = await get(B.host);
		expect(state(b)).toBe('miss');
		expect(text(b)).toContain(`${B.name} hero`);
		expect(text(b)).not.toContain(A.name);
	});

	it('re-renders a site after an admin change on it, and leaves the other site’s files', async () => {
		await updateHome(await (await superAdmin()).on(A), {
			heroTitle: 'Edited on disk hero',
			intro: 'New intro',
			showEvents: 'on',
			showLinks: 'on'
		});
		let page: HttpResult | undefined;
		for (let i = 0; i < 50; i++) {
			page = await get(A.host);
			if (text(page).includes('Edited on disk hero')) break;
			await new Promise((r) => setTimeout(r, 50));
		}
		expect(text(page!)).toContain('Edited on disk hero');
		expect(state(page!)).toBe('miss');
		// B's events page was written by the first process and is still right.
		const events = await get(B.host, '/events');
		expect(state(events)).toBe('l2');
		expect(text(events)).toContain(B.name);
		await settle();
		await hub!.stop();

		// Restarted after nothing changed: A's re-rendered page comes from disk, the new one.
		await start();
		const fromDisk = await get(A.host);
		expect(state(fromDisk)).toBe('l2');
		expect(text(fromDisk)).toContain('Edited on disk hero');
	});

	it('drops the tier at start-up when a change was made while no server listened', async () => {
		expect(state(await get(B.host))).not.toBe('miss');
		await settle();
		await hub!.stop();
		// B changes while this DATA_DIR's server is down: it never hears the NOTIFY.
		await saveHome(B.id, { heroTitle: 'Changed while away', heroText: '', intro: '', showEvents: true, showLinks: true });
		await write({ siteId: B.id, actor }, async (w) => {
			w.changed({ type: 'content', siteId: B.id });
		});
		await start();
		expect(hub!.output.join('')).toContain('render cache disk tier dropped');
		const b = await get(B.host);
		expect(state(b)).toBe('miss');
		expect(text(b)).toContain('Changed while away');
	});
});
