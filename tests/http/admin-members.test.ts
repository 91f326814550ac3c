/**
 * Members and invitations over real HTTP: owners invite (by Discord id or one-time link), change
 * roles, remove and hand over ownership; admins invite but cannot manage (403) or invite owners;
 * the last owner cannot leave; another site's members and invitations answer 404 and stay.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { invitation, membership } from '../../src/lib/server/db/schema';
import { createInvitation } from '../../src/lib/server/queries/members';
import { useTestDatabase } from '../support/db';
import { createMember, createSite, createUser } from '../support/factories';
import { get } from '../support/server';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { actionAnswer, locationOf, postAdminForm, type Fields } from '../support/admin-forms';
import { createHash } from 'node:crypto';

const SUPER = '555555555555555555';

describe.runIf(inject('templateDatabase'))('members and invitations', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let hostA: string;
	let siteA: Awaited<ReturnType<typeof createSite>>;
	let siteB: Awaited<ReturnType<typeof createSite>>;
	const people = {} as Record<'owner' | 'admin' | 'editor' | 'bMember', { id: string; discordId: string }>;
	const cookie = {} as Record<'owner' | 'admin' | 'editor' | 'outsider' | 'bOnA' | 'bOnB', string>;
	let bInvitation: typeof invitation.$inferSelect;
	const post = (path: string, fields: Fields, who: keyof typeof cookie = 'owner') =>
		postAdminForm(hub.origin, path, hostA, cookie[who], fields);
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
		bInvitation = await createInvitation(siteB.id, {
			role: 'editor',
			discordId: '999999999999999999',
			expiresAt: new Date(Date.now() + 86_400_000),
			createdBy: null
		});
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER } });
		for (const who of ['owner', 'admin', 'editor'] as const) cookie[who] = await signIn(hub, hostA, people[who].discordId);
		// Signed in on A with no role there; B's member signed in on A; B's member's cookie from B.
		cookie.outsider = await signIn(hub, hostA, (await createUser({ name: 'Otto Outsider' })).discordId);
		cookie.bOnA = await signIn(hub, hostA, people.bMember.discordId);
		cookie.bOnB = await signIn(hub, `${siteB.slug}.hub.test`, people.bMember.discordId);
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
		expect(
			(await post('/admin/members?/invite', { role: 'editor', discordId: '123456789012345678', expiresInDays: '7' }, 'admin')).status
		).toBe(303);
		const link = await post('/admin/members?/invite', { role: 'admin', discordId: '', expiresInDays: '1' });
		expect(link.status).toBe(200);
		expect(link.body).toMatch(/data-invite-url[^>]*>http:\/\/[^<]+\/invite\/[A-Za-z0-9_-]{20,}</);
		const rows = await db().select().from(invitation).where(eq(invitation.siteId, siteA.id));
		expect(rows.map((r) => [r.role, r.discordId]).sort()).toEqual([
			['admin', null],
			['editor', '123456789012345678']
		]);
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
		const lastOwner = await post('/admin/members?/remove', { userId: people.owner.id, confirm: 'yes' });
		expect(lastOwner.status).toBe(409);
		expect(lastOwner.body).toContain('A site needs at least one owner');
		expect((await roles(siteA.id))[people.owner.id]).toBe('owner');
		const demoteSelf = await post('/admin/members?/role', { userId: people.owner.id, role: 'admin' });
		expect(demoteSelf.status).toBe(409);
		expect(demoteSelf.body).toContain('A site needs at least one owner');
		expect((await roles(siteA.id))[people.owner.id]).toBe('owner');
	});

	it('answers another site’s members and invitations with 404 and changes nothing', async () => {
		const beforeB = await roles(siteB.id);
		expect((await post('/admin/members?/role', { userId: people.bMember.id, role: 'owner' })).status).toBe(404);
		expect((await post('/admin/members?/remove', { userId: people.bMember.id, confirm: 'yes' })).status).toBe(404);
		expect((await post('/admin/members?/transfer', { userId: people.bMember.id, confirm: 'yes' })).status).toBe(404);
		expect((await post('/admin/members?/revoke', { id: bInvitation.id })).status).toBe(404);
		expect(await roles(siteB.id)).toEqual(beforeB);
		expect((await db().select().from(invitation).where(eq(invitation.id, bInvitation.id))).length).toBe(1);
		expect((await roles(siteA.id))[people.bMember.id]).toBeUndefined();
	});

	it('refuses an invalid invitation with 400, the error next to its field and the input kept; saves nothing', async () => {
		const before = (await db().select().from(invitation).where(eq(invitation.siteId, siteA.id))).length;
		const badId = await post('/admin/members?/invite', { role: 'editor', discordId: 'not-a-number', expiresInDays: '30' });
		expect(badId.status).toBe(400);
		expect(badId.body).toMatch(/id="invite-discord-error"[^>]*>A Discord user id is a number/);
		expect(badId.body).toContain('value="not-a-number"');
		expect(badId.body).toMatch(/<option value="30" selected/);
		const badExpiry = await post('/admin/members?/invite', { role: 'editor', expiresInDays: '9' });
		expect(badExpiry.status).toBe(400);
		expect(badExpiry.body).toMatch(/id="invite-expiry-error"[^>]*>Choose 1, 7 or 30 days/);
		const badRole = await post('/admin/members?/invite', { role: 'boss' });
		expect(badRole.status).toBe(400);
		expect(badRole.body).toMatch(/id="invite-role-error"/);
		const member = await post('/admin/members?/invite', { role: 'editor', discordId: people.editor.discordId });
		expect(member.status).toBe(409);
		expect(member.body).toContain('already a member of this site');
		expect((await db().select().from(invitation).where(eq(invitation.siteId, siteA.id))).length).toBe(before);
	});

	it('gives an invited Discord account its role when it first signs in here', async () => {
		const newcomer = await createUser({ name: 'Nadia Newcomer' });
		const r = await post('/admin/members?/invite', { role: 'admin', discordId: newcomer.discordId, expiresInDays: '1' });
		expect(r.status).toBe(303);
		expect(locationOf(r)).toBe('/admin/members?done=invited');
		const twice = await post('/admin/members?/invite', { role: 'editor', discordId: newcomer.discordId, expiresInDays: '1' });
		expect(twice.status).toBe(409);
		expect(twice.body).toMatch(/id="invite-discord-error"[^>]*>This Discord account already has a waiting invitation/);
		const listed = await get(hub.origin, '/admin/members', hostA, { cookie: cookie.owner });
		expect(listed.body).toContain(newcomer.discordId);
		expect((await roles(siteA.id))[newcomer.id]).toBeUndefined();

		const newcomerCookie = await signIn(hub, hostA, newcomer.discordId);
		expect((await roles(siteA.id))[newcomer.id]).toBe('admin');
		const [row] = await db()
			.select()
			.from(invitation)
			.where(and(eq(invitation.siteId, siteA.id), eq(invitation.discordId, newcomer.discordId)));
		expect(row!.acceptedBy).toBe(newcomer.id);
		const dashboard = await get(hub.origin, '/admin', hostA, { cookie: newcomerCookie });
		expect(dashboard.body).toContain('data-role="admin"');
	});

	it('shows a one-time link once, stores only its hash, and revokes it', async () => {
		const r = await post('/admin/members?/invite', { role: 'editor', expiresInDays: '7' });
		expect(r.status).toBe(200);
		const url = /data-invite-url[^>]*>(http:\/\/[^<]+)</.exec(r.body)![1]!;
		const token = url.split('/invite/')[1]!;
		const rows = await db().select().from(invitation).where(eq(invitation.siteId, siteA.id));
		expect(rows.some((i) => i.tokenHash === createHash('sha256').update(token).digest('hex'))).toBe(true);
		expect(JSON.stringify(rows)).not.toContain(token);
		// The page shown later never has it again.
		expect((await get(hub.origin, '/admin/members', hostA, { cookie: cookie.owner })).body).not.toContain(token);
		const link = rows.find((i) => i.tokenHash === createHash('sha256').update(token).digest('hex'))!;
		expect((await post('/admin/members?/revoke', { id: link.id })).status).toBe(303);
		expect((await db().select().from(invitation).where(eq(invitation.id, link.id))).length).toBe(0);
		expect((await get(hub.origin, new URL(url).pathname, hostA)).body).toContain('no longer valid');
	});

	it('refuses an invalid role with 400; removes only after confirmation', async () => {
		const rita = await createMember(siteA, 'editor', { name: 'Rita Removable' });
		const badRole = await post('/admin/members?/role', { userId: rita.id, role: 'boss' });
		expect(badRole.status).toBe(400);
		expect(badRole.body).toContain(`id="role-${rita.id}-error"`);
		expect((await roles(siteA.id))[rita.id]).toBe('editor');

		const unconfirmed = await post('/admin/members?/remove', { userId: rita.id });
		expect(unconfirmed.status).toBe(400);
		expect(unconfirmed.body).toContain('Tick the box to confirm the removal');
		expect((await roles(siteA.id))[rita.id]).toBe('editor');

		const removed = await post('/admin/members?/remove', { userId: rita.id, confirm: 'yes' });
		expect(removed.status).toBe(303);
		expect(locationOf(removed)).toBe('/admin/members?done=removed');
		expect((await roles(siteA.id))[rita.id]).toBeUndefined();
		expect((await get(hub.origin, '/admin/members', hostA, { cookie: cookie.owner })).body).not.toContain('Rita Removable');
	});

	it('refuses admins (403), editors (403), people without a role here and B’s member (404), and B’s cookie (401)', async () => {
		// The first editor was promoted above: sign in a fresh one.
		cookie.editor = await signIn(hub, hostA, (await createMember(siteA, 'editor', { name: 'Ezra Editor' })).discordId);
		const beforeA = await roles(siteA.id);
		const beforeInv = await db().select().from(invitation);
		const target = {
			userId: people.editor.id,
			role: 'owner',
			confirm: 'yes',
			discordId: '',
			expiresInDays: '7',
			id: beforeInv[0]?.id ?? ''
		};
		const expected: [keyof typeof cookie, Record<string, number>][] = [
			['admin', { role: 403, remove: 403, transfer: 403 }],
			['editor', { invite: 403, revoke: 403, role: 403, remove: 403, transfer: 403 }],
			['outsider', { invite: 404, revoke: 404, role: 404, remove: 404, transfer: 404 }],
			['bOnA', { invite: 404, revoke: 404, role: 404, remove: 404, transfer: 404 }],
			['bOnB', { invite: 401, revoke: 401, role: 401, remove: 401, transfer: 401 }]
		];
		for (const [who, actions] of expected) {
			for (const [action, status] of Object.entries(actions)) {
				const fields = { ...target, role: action === 'invite' ? 'editor' : 'owner' };
				// The action's own answer (as use:enhance receives it: no page loads run)...
				const r = await actionAnswer(hub.origin, `/admin/members?/${action}`, hostA, cookie[who], fields);
				expect(r.status, `${who} ${action}`).toBe(status);
				// ...and the plain form post, refused too (by the layout's no-access page at worst).
				const plain = await post(`/admin/members?/${action}`, fields, who);
				if (who === 'bOnB') expect(locationOf(plain), `${who} ${action} plain`).toMatch(/^\/login\?next=/);
				else expect([403, 404], `${who} ${action} plain`).toContain(plain.status);
				expect(plain.body, `${who} ${action}`).not.toContain('Olga Owner');
				expect(r.body, `${who} ${action}`).not.toContain('Olga Owner');
			}
		}
		expect((await get(hub.origin, '/admin/members', hostA, { cookie: cookie.outsider })).status).toBe(403);
		expect(await roles(siteA.id)).toEqual(beforeA);
		expect(await db().select().from(invitation)).toEqual(beforeInv);
	});

	it('hands over ownership after confirmation: the new owner is owner, the old one admin', async () => {
		expect((await post('/admin/members?/transfer', { userId: people.admin.id })).status).toBe(400);
		expect((await post('/admin/members?/transfer', { userId: people.admin.id, confirm: 'yes' })).status).toBe(303);
		const after = await roles(siteA.id);
		expect([after[people.admin.id], after[people.owner.id]]).toEqual(['owner', 'admin']);
		const [revokable] = await db()
			.select()
			.from(invitation)
			.where(and(eq(invitation.siteId, siteA.id), eq(invitation.role, 'editor')));
		expect((await post('/admin/members?/revoke', { id: revokable!.id }, 'admin')).status).toBe(303);
	});

	it('works the same from the hub at /sites/<slug>/admin/members (redirects stay there)', async () => {
		const superCookie = await signIn(hub, 'hub.test', SUPER);
		const base = `/sites/${siteA.slug}/admin/members`;
		const page = await get(hub.origin, base, 'hub.test', { cookie: superCookie });
		expect(page.status).toBe(200);
		expect(page.body).toContain('Olga Owner');
		const invited = await postAdminForm(hub.origin, `${base}?/invite`, 'hub.test', superCookie, {
			role: 'owner',
			discordId: '222222222222222222',
			expiresInDays: '1'
		});
		expect(invited.status).toBe(303);
		expect(locationOf(invited)).toBe(`${base}?done=invited`);
		const [row] = await db().select().from(invitation).where(eq(invitation.discordId, '222222222222222222'));
		expect([row!.siteId, row!.role]).toEqual([siteA.id, 'owner']);
		const changed = await postAdminForm(hub.origin, `${base}?/role`, 'hub.test', superCookie, { userId: people.owner.id, role: 'editor' });
		expect(changed.status).toBe(303);
		expect(locationOf(changed)).toBe(`${base}?done=role`);
		expect((await roles(siteA.id))[people.owner.id]).toBe('editor');
	});
});
