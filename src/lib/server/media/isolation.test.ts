/**
 * Media across sites: site B can neither attach, list, delete nor detect site A's images, and
 * deleting an image in use is refused with a message naming the uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import * as img from '../../../../tests/support/images';
import { AppError } from '../errors';
import { assetUses, getAsset, listAssets, type AssetRow } from '../queries/assets';
import { getEvent, updateEvent } from '../queries/events';
import { getSiteById } from '../queries/sites';
import { createPage } from '../queries/pages';
import { createLocalStorage } from './local';
import { listAll, useMediaStorage } from './storage';
import { processUpload } from './upload';
import { deleteAsset } from './delete';
import { attachSiteImage, requireSiteAsset } from './attach';
import { variantKeys } from './keys';

useTestDatabase();

const storage = createLocalStorage(mkdtempSync(path.join(tmpdir(), 'hub-media-')));
const actor = { userId: null, name: 'Tester' };
type Site = Awaited<ReturnType<typeof f.createSite>>;
let A: Site;
let B: Site;
let imageA: AssetRow;
let imageB: AssetRow;

const upload = async (site: Site, name: string) => processUpload(site, 'event', img.file(await img.jpeg(600, 400), name));
const refusal = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e: unknown) => e as AppError
	);

beforeAll(async () => {
	useMediaStorage(storage);
	A = await f.createSite({ name: 'Site A' });
	B = await f.createSite({ name: 'Site B' });
	imageA = await upload(A, 'a.jpg');
	imageB = await upload(B, 'b.jpg');
});

describe('site B and site A’s image', () => {
	it('B’s media library never lists it', async () => {
		expect((await listAssets(B.id)).map((a) => a.id)).toEqual([imageB.id]);
		expect((await listAssets(B.id, 'event')).map((a) => a.id)).toEqual([imageB.id]);
		expect(await getAsset(B.id, imageA.id)).toBeUndefined();
	});

	it('a form value naming it is refused for B exactly like an id that does not exist', async () => {
		const foreign = await refusal(requireSiteAsset(B.id, imageA.id));
		const unknown = await refusal(requireSiteAsset(B.id, '7d3c1f52-9a43-4c1e-8d7b-2a4f0e5b6c1d'));
		const garbage = await refusal(requireSiteAsset(B.id, "x' or 1=1 --"));
		for (const e of [foreign, unknown, garbage]) {
			expect(e).toBeInstanceOf(AppError);
			expect(e!.status).toBe(422);
			expect(e!.message).toBe(foreign!.message);
		}
		expect((await requireSiteAsset(A.id, imageA.id)).id).toBe(imageA.id);
	});

	it('cannot become B’s logo or background', async () => {
		for (const slot of ['logo', 'background'] as const) {
			const e = await refusal(attachSiteImage(B.id, slot, imageA.id, actor));
			expect(e?.status).toBe(422);
		}
		const siteB = await getSiteById(B.id);
		expect([siteB!.logoAssetId, siteB!.backgroundAssetId]).toEqual([null, null]);
		// B's own image works.
		await attachSiteImage(B.id, 'logo', imageB.id, actor);
		expect((await getSiteById(B.id))!.logoAssetId).toBe(imageB.id);
		await attachSiteImage(B.id, 'logo', null, actor);
	});

	it('cannot become the image of B’s event (the composite foreign key refuses even a direct write)', async () => {
		const eventB = await f.createEvent(B);
		await expect(updateEvent(B.id, eventB.id, { imageAssetId: imageA.id })).rejects.toThrow();
		expect((await getEvent(B.id, eventB.id))!.imageAssetId).toBeNull();
	});

	it('deleting it with B’s id does nothing but say "not found"', async () => {
		const e = await refusal(deleteAsset(B.id, imageA.id));
		expect(e?.status).toBe(404);
		expect(await getAsset(A.id, imageA.id)).toBeDefined();
		for (const key of variantKeys(imageA)) expect(await storage.exists(key)).toBe(true);
	});

	it('B’s uses of its own images never count A’s', async () => {
		expect(await assetUses(B.id, imageA.id)).toEqual([]);
	});
});

describe('deleting an image', () => {
	it('removes the row and every object', async () => {
		const row = await upload(A, 'gone.jpg');
		const before = (await listAll(storage, '')).length;
		await deleteAsset(A.id, row.id, { actor });
		expect(await getAsset(A.id, row.id)).toBeUndefined();
		for (const key of variantKeys(row)) expect(await storage.exists(key)).toBe(false);
		expect((await listAll(storage, '')).length).toBe(before - row.variants.length);
	});

	it('is refused while in use, naming every use, and works once they are removed', async () => {
		const row = await upload(A, 'busy.jpg');
		const event = await f.createEvent(A, { title: 'Movie night', imageAssetId: row.id });
		await attachSiteImage(A.id, 'logo', row.id, actor);
		await createPage(A.id, { slug: 'about', title: 'About us', body: `![crowd](/media/${row.cdnKey}-960.webp)`, published: true });

		const e = await refusal(deleteAsset(A.id, row.id, { actor }));
		expect(e?.status).toBe(409);
		expect(e?.message).toBe(
			'This image is used by the site logo, the event “Movie night” and the page “About us”. Remove it there first, then delete it.'
		);
		expect(await getAsset(A.id, row.id)).toBeDefined();
		for (const key of variantKeys(row)) expect(await storage.exists(key)).toBe(true);

		await attachSiteImage(A.id, 'logo', null, actor);
		await updateEvent(A.id, event.id, { imageAssetId: null });
		const still = await refusal(deleteAsset(A.id, row.id));
		expect(still?.message).toMatch(/the page “About us”/);
	});
});
