/**
 * sweep-orphans: objects without rows and rows without objects, per site, listed and removed;
 * live uploads (young objects) left alone. The script itself is run once as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import * as img from '../../../../tests/support/images';
import { getAsset, setSiteImage, type AssetRow } from '../queries/assets';
import { getEvent } from '../queries/events';
import { getSiteById } from '../queries/sites';
import { createLocalStorage } from './local';
import { listAll, useMediaStorage } from './storage';
import { processUpload } from './upload';
import { variantKeys } from './keys';
import { sweepOrphans } from './sweep';

const tdb = useTestDatabase();
const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-data-'));
const storage = createLocalStorage(path.join(dataDir, 'media'));
type Site = Awaited<ReturnType<typeof f.createSite>>;

let A: Site;
let B: Site;
let kept: AssetRow;
let bare: AssetRow;
let partial: AssetRow;
let eventId: string;
const orphanA = () => `sites/${A.slug}/event/11111111-1111-4111-8111-111111111111-960.webp`;
const orphanGone = 'sites/deleted-site/page/22222222-2222-4222-8222-222222222222-480.webp';
const later = () => new Date(Date.now() + 2 * 3_600_000);

beforeAll(async () => {
	useMediaStorage(storage);
	A = await f.createSite();
	B = await f.createSite();
	const jpg = await img.jpeg(1000, 700);
	kept = await processUpload(A, 'event', img.file(jpg, 'kept.jpg'));
	bare = await processUpload(A, 'logo', img.file(jpg, 'bare.jpg'));
	partial = await processUpload(A, 'event', img.file(jpg, 'partial.jpg'));
	await processUpload(B, 'event', img.file(jpg, 'b.jpg'));
	// Damage done behind the pipeline's back:
	await storage.delete(variantKeys(bare)); // a row without any object, used as the logo
	await storage.delete([variantKeys(partial)[1]!]); // a row missing one variant, used by an event
	await storage.put(orphanA(), Buffer.from('orphan'), 'image/webp'); // an object without a row
	await storage.put(orphanGone, Buffer.from('orphan'), 'image/webp'); // left by a deleted site
	await setSiteImage(A.id, 'logo', bare.id);
	eventId = (await f.createEvent(A, { imageAssetId: partial.id })).id;
});

describe('sweepOrphans', () => {
	it('lists, per site, objects without rows and rows without objects, and changes nothing', async () => {
		const objectsBefore = (await listAll(storage, '')).length;
		const report = await sweepOrphans({ now: later() });
		const bySlug = Object.fromEntries(report.sites.map((s) => [s.slug, s]));
		expect(Object.keys(bySlug).sort()).toEqual([A.slug, 'deleted-site'].sort());
		expect(bySlug[A.slug]!.siteId).toBe(A.id);
		expect(bySlug[A.slug]!.objectsWithoutRows.map((o) => o.key)).toEqual([orphanA()]);
		expect(bySlug[A.slug]!.rowsWithoutObjects.map((r) => [r.assetId, r.missing.length]).sort()).toEqual(
			[
				[bare.id, bare.variants.length],
				[partial.id, 1]
			].sort()
		);
		expect(bySlug['deleted-site']!.siteId).toBeNull();
		expect(bySlug['deleted-site']!.objectsWithoutRows.map((o) => o.key)).toEqual([orphanGone]);
		expect(report.removedObjects + report.removedRows).toBe(0);
		expect((await listAll(storage, '')).length).toBe(objectsBefore);
	});

	it('leaves young objects alone (an upload writes objects before its row)', async () => {
		const report = await sweepOrphans();
		expect(report.sites.flatMap((s) => s.objectsWithoutRows)).toEqual([]);
		expect(report.tooYoung).toBe(2);
	});

	it('limits itself to one site with `site`', async () => {
		const report = await sweepOrphans({ site: B.slug, now: later() });
		expect(report.sites).toEqual([]);
	});

	it.runIf(inject('templateDatabase'))('runs as a script with the server’s environment', async () => {
		const { stdout } = await promisify(execFile)(
			process.execPath,
			['node_modules/tsx/dist/cli.mjs', 'scripts/sweep-orphans.ts', '--min-age', '0'],
			{
				env: { PATH: process.env.PATH, DATABASE_URL: tdb.url!, DATA_DIR: dataDir, RUN_MIGRATIONS: 'false', LOG_LEVEL: 'silent' }
			}
		);
		expect(stdout).toContain('media driver: local, all sites');
		expect(stdout).toContain(`site ${A.slug}: 1 object(s) without rows, 2 row(s) without objects`);
		expect(stdout).toContain(`  object ${orphanA()}`);
		expect(stdout).toContain(`  row ${bare.id}: missing ${variantKeys(bare).join(', ')}`);
		expect(stdout).toContain('deleted-site (no such site): 1 object(s) without rows, 0 row(s) without objects');
		expect(stdout).toContain('run again with --delete to remove them');
	});

	it('as the hourly job (remove, keepRows): deletes orphan objects, only reports rows without objects', async () => {
		const report = await sweepOrphans({ remove: true, keepRows: true, now: later() });
		expect(report.removedObjects).toBe(2);
		expect(report.removedRows).toBe(0);
		expect(report.sites.flatMap((s) => s.rowsWithoutObjects.map((r) => r.assetId)).sort()).toEqual([bare.id, partial.id].sort());
		expect(await storage.exists(orphanA())).toBe(false);
		expect(await getAsset(A.id, bare.id)).toBeDefined();
		expect(await getAsset(A.id, partial.id)).toBeDefined();
		// Put the orphans back for the next test.
		await storage.put(orphanA(), Buffer.from('orphan'), 'image/webp');
		await storage.put(orphanGone, Buffer.from('orphan'), 'image/webp');
	});

	it('with remove: deletes orphan objects, and rows without objects after clearing their uses', async () => {
		const report = await sweepOrphans({ remove: true, now: later() });
		// 2 orphans + the 2 surviving variants of `partial`.
		expect(report.removedObjects).toBe(4);
		expect(report.removedRows).toBe(2);
		expect(await storage.exists(orphanA())).toBe(false);
		expect(await storage.exists(orphanGone)).toBe(false);
		expect(await getAsset(A.id, bare.id)).toBeUndefined();
		expect(await getAsset(A.id, partial.id)).toBeUndefined();
		expect((await getSiteById(A.id))!.logoAssetId).toBeNull();
		expect((await getEvent(A.id, eventId))!.imageAssetId).toBeNull();
		// The healthy image is untouched, and a second sweep finds nothing.
		expect(await getAsset(A.id, kept.id)).toBeDefined();
		for (const key of variantKeys(kept)) expect(await storage.exists(key)).toBe(true);
		expect((await sweepOrphans({ now: later() })).sites).toEqual([]);
	});
});
