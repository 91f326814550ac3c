/**
 * Members and invitations over real HTTP: owners invite (by Discord id or one-time link), change
 * roles, remove and hand over ownership; admins invite but cannot manage (403) or invite owners;
 * the last owner cannot leave; another site's members and invitations answer 404 and stay.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { invitation, membership } from '../../src/lib/server/db/schema';
import { createInvitation } from '../../src/lib/server/content/members';
import { useTestDatabase } from '../support/db';
import { createMember, createSite } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { postAdminForm, type Fields } from '../support/admin-forms';

describe.runIf(inject('templateDatabase'))('members and invitations', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const people = {} as Record<'owner' | 'admin' | 'editor' | 'bMember', { id: string; discordId: string }>;
	const cookie = {} as Record<'owner' | 'admin' | 'editor', string>;
	let bInvitation: typeof invitation.$inferSelect;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'owner') => postAdminForm(hub.origin, path, hostA, cookie[who], fields);
	const roles = async (siteId: string) =>
		Object.fromEntries((await db().select().from(membership).where(eq(membership.siteId, siteId))).map((m) => [m.userId, m.role]));

	beforeAll(async () => {
		siteA = await createSite({ name: 'Alpha Members' });
		siteB = await createSite({ name: 'Bravo Members' });
		hostA = `${siteA.slug}.hub.test`;
		people.owner = await createMember(siteA, 'owner', { name: 'Olga Owner' });
		people.admin = await createMember(siteA, 'admin', { name: 'Adam Admin' });
		people.editor = await createMember(siteA, 'editor', { name: 'Eda Editor' });
		people.bMember = await createMember(siteB, 'editor', { name: 'Bravo Person' });
		bInvitation = await createInvitation(siteB.id, { role: 'editor', discordId: '999999999999999999', expiresAt: new Date(Date.now() + 86_400_000), createdBy: null });
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		for (const who of ['owner', 'admin', 'editor'] as const) cookie[who] = await signIn(hub, hostA, people[who].discordId);
	}, 120_000);
	afterAll(() => hub?.stop());

	it('lists members (admins and owners) and never another site’s people', async () => {
		const list = await get(hub.origin, '/admin/members', hostA, { cookie: cookie.admin });
		expect(list.status).toBe(200);
		expect(list.body).toContain('Olga Owner');
		expect(list.body).not.toContain('Bravo Person');
		expect((await get(hub.origin, '/admin/members', hostA, { cookie: cookie.editor })).status).toBe(403);
	});

	it('invites by Discord id and by one-time link; admins cannot invite owners; bad ids refused', async () => {
		expect((await post('/admin/members?/invite', { role: 'editor', discordId: '123456789012345678', expiresInDays: '7' }, 'admin')).status).toBe(303);
		const link = await post('/admin/members?/invite', { role: 'admin', discordId: '', expiresInDays: '1' });
		expect(link.status).toBe(200);
		expect(link.body).toMatch(/data-invite-url[^>]*>http:\/\/[^<]+\/invite\/[A-Za-z0-9_-]{20,}</);
		const rows = await db().select().from(invitation).where(eq(invitation.siteId, siteA.id));
		expect(rows.map((r) => [r.role, r.discordId]).sort()).toEqual([['admin', null], ['editor', '123456789012345678']]);
		expect(rows.every((r) => r.tokenHash === null || /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);

		const ownerByAdmin = await post('/admin/members?/invite', { role: 'owner' }, 'admin');
		expect(ownerByAdmin.status).toBe(403);
		expect(ownerByAdmin.body).toContain('Only an owner can invite someone as owner');
		expect((await post('/admin/members?/invite', { role: 'editor', discordId: 'not-a-number' })).status).toBe(400);
		expect((await post('/admin/members?/invite', { role: 'editor' }, 'editor')).status).toBe(403);
		expect((await db().select().from(invitation).where(eq(invitation.siteId, siteA.id))).length).toBe(2);
	});

	it('lets owners change roles and remove people, never the last owner; admins may not', async () => {
		expect((await post('/admin/members?/role', { userId: people.editor.id, role: 'admin' }, 'admin')).status).toBe(403);
		expect((await post('/admin/members?/role', { userId: people.editor.id, role: 'admin' })).status).toBe(303);
		expect((await roles(siteA.id))[people.editor.id]).toBe('admin');
		const lastOwner = await post('/admin/members?/remove', { userId: people.owner.id });
		expect(lastOwner.status).toBe(409);
		expect(lastOwner.body).toContain('A site needs at least one owner');
		expect((await roles(siteA.id))[people.owner.id]).toBe('owner');
	});

	it('answers another site’s members and invitations with 404 and changes nothing', async () => {
		const beforeB = await roles(siteB.id);
		expect((await post('/admin/members?/role', { userId: people.bMember.id, role: 'owner' })).status).toBe(404);
		expect((await post('/admin/members?/remove', { userId: people.bMember.id })).status).toBe(404);
		expect((await post('/admin/members?/transfer', { userId: people.bMember.id, confirm: 'yes' })).status).toBe(404);
		expect((await post('/admin/members?/revoke', { id: bInvitation.id })).status).toBe(404);
		expect(await roles(siteB.id)).toEqual(beforeB);
		expect((await db().select().from(invitation).where(eq(invitation.id, bInvitation.id))).length).toBe(1);
		expect((await roles(siteA.id))[people.bMember.id]).toBeUndefined();
	});

	it('hands over ownership after confirmation: the new owner is owner, the old one admin', async () => {
		expect((await post('/admin/members?/transfer', { userId: people.admin.id })).status).toBe(400);
		expect((await post('/admin/members?/transfer', { userId: people.admin.id, confirm: 'yes' })).status).toBe(303);
		const after = await roles(siteA.id);
		expect([after[people.admin.id], after[people.owner.id]]).toEqual(['owner', 'admin']);
		const [revokable] = await db().select().from(invitation).where(and(eq(invitation.siteId, siteA.id), eq(invitation.role, 'editor')));
		expect((await post('/admin/members?/revoke', { id: revokable!.id }, 'admin')).status).toBe(303);
	});
});
