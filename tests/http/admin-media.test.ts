/**
 * The media library over real HTTP: upload stores WebP variants and a row; bad files leave
 * nothing; alt text edits; deleting an image in use is refused with a message naming the use;
 * another site's asset ids answer 404 and stay; people without a role change nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { asset } from '../../src/lib/server/db/schema';
import { useTestDatabase } from '../support/db';
import { createAsset, createEvent, createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { file, jpeg } from '../support/images';
import { postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('media library', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	let bAsset: typeof asset.$inferSelect;
	const cookie = {} as Record<'editor' | 'memberOfB', string>;
	const assetsOf = (siteId: string) => db().select().from(asset).where(eq(asset.siteId, siteId));
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'editor') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Media' });
		siteB = await createSite({ name: 'Bravo Media' });
		hostA = `${siteA.slug}.hub.test`;
		bAsset = await createAsset(siteB, { altText: 'Bravo private photo' });
		const editor = await createMember(siteA, 'editor');
		const bOwner = await createMember(siteB, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		cookie.editor = await signIn(hub, hostA, editor.discordId);
		cookie.memberOfB = await signIn(hub, hostA, bOwner.discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('uploads an image, lists it, edits its description; a bad file leaves nothing', async () => {
		const r = await post('/admin/media?/upload', { image: file(await jpeg(900, 600), 'crowd.jpg', 'image/jpeg'), altText: 'The crowd' });
		expect(r.status).toBe(303);
		const [row] = await assetsOf(siteA.id);
		expect(row!.altText).toBe('The crowd');
		const media = await get(
			hub.origin,
			row!.cdnKey.startsWith('/') ? row!.cdnKey : `/media/${row!.cdnKey}-${row!.variants[0]}.webp`,
			hostA
		);
		expect(media.status).toBe(200);
		const list = await get(hub.origin, '/admin/media', hostA, { cookie: cookie.editor });
		expect(list.body).toContain('The crowd');
		expect(list.body).not.toContain('Bravo private photo');

		expect((await post('/admin/media?/alt', { id: row!.id, altText: 'The happy crowd' })).status).toBe(303);
		expect((await assetsOf(siteA.id))[0]!.altText).toBe('The happy crowd');

		const bad = await post('/admin/media?/upload', { image: file('%PDF-1.4 not an image', 'doc.jpg', 'image/jpeg') });
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.status).toBeLessThan(500);
		expect((await assetsOf(siteA.id)).length).toBe(1);
	});

	it('refuses to delete an image in use, naming the use; deletes it once unused', async () => {
		const [row] = await assetsOf(siteA.id);
		const ev = await createEvent(siteA, { title: 'Crowd night', imageAssetId: row!.id });
		const refused = await post('/admin/media?/delete', { id: row!.id });
		expect(refused.status).toBe(409);
		expect(refused.body).toContain('the event “Crowd night”');
		expect((await assetsOf(siteA.id)).length).toBe(1);
		const { deleteEvent } = await import('../../src/lib/server/queries/events');
		await deleteEvent(siteA.id, ev.id);
		expect((await post('/admin/media?/delete', { id: row!.id })).status).toBe(303);
		expect((await assetsOf(siteA.id)).length).toBe(0);
	});

	it('answers another site’s asset ids with 404 and people without a role with 403, changing nothing', async () => {
		expect((await post('/admin/media?/alt', { id: bAsset.id, altText: 'Hijacked' })).status).toBe(404);
		expect((await post('/admin/media?/delete', { id: bAsset.id })).status).toBe(404);
		expect((await post('/admin/media?/upload', { image: file(await jpeg(50, 50), 'x.jpg', 'image/jpeg') }, 'memberOfB')).status).toBe(403);
		expect(await assetsOf(siteB.id)).toEqual([bAsset]);
		expect((await assetsOf(siteA.id)).length).toBe(0);
	});
});
