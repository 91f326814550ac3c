import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db } from '../db';
import { auditEvent, invitation, membership } from '../db/schema';
import { getRole, hashInviteToken, type Role } from '../queries/members';
import { useTestDatabase } from '../../../../tests/support/db';
import { createMember, createSite, createUser } from '../../../../tests/support/factories';
import { status } from '../../../../tests/support/app-errors';
import {
	acceptDiscordInvites,
	acceptInviteLink,
	changeRole,
	createInvite,
	ensureBootstrapOwner,
	removeMember,
	revokeInvite,
	transferOwnership
} from './members';
import { toSiteContext } from '../hosts/site-context';
import type { SiteActor } from './actor';
import type { SiteRow } from '../queries/sites';

useTestDatabase();

type Person = { id: string; name: string };
/** The actor a request on `site` would give the service (the site as host resolution loads it). */
const as = (site: SiteRow, person: Person | null, role: Role | null, isSuperAdmin = false): SiteActor => ({
	site: toSiteContext({ site, logo: null, background: null, primaryHost: null }, 'hub.test'),
	user: person ? { id: person.id, name: person.name } : null,
	role,
	isSuperAdmin
});

async function roles(siteId: string) {
	const rows = await db()
		.select({ userId: membership.userId, role: membership.role })
		.from(membership)
		.where(eq(membership.siteId, siteId));
	return Object.fromEntries(rows.map((r) => [r.userId, r.role]));
}

describe('invitations', () => {
	it('who may invite whom: admins up to admin, owners and super admins also owners', async () => {
		const site = await createSite();
		const other = await createSite();
		const owner = await createMember(site, 'owner');
		const admin = await createMember(site, 'admin');
		const editor = await createMember(site, 'editor');
		const foreign = await createMember(other, 'owner');
		const nobody = await createUser();

		const cases: [SiteActor, Role, number][] = [
			[as(site, owner, 'owner'), 'owner', 200],
			[as(site, owner, 'owner'), 'editor', 200],
			[as(site, admin, 'admin'), 'admin', 200],
			[as(site, admin, 'admin'), 'owner', 403],
			[as(site, editor, 'editor'), 'editor', 403],
			[as(site, foreign, null), 'editor', 404],
			[as(site, nobody, null, true), 'owner', 200],
			[as(site, null, null), 'editor', 401]
		];
		for (const [actor, role, expected] of cases) {
			expect(await status(createInvite(actor, { role })), `${actor.role ?? (actor.isSuperAdmin ? 'super' : 'none')} invites ${role}`).toBe(
				expected
			);
		}
		const rows = await db().select().from(invitation);
		expect(rows.filter((r) => r.siteId === site.id)).toHaveLength(4);
		expect(rows.filter((r) => r.siteId === other.id)).toHaveLength(0);
	});

	it('a link invitation returns its token once and stores only the hash; bad input is refused', async () => {
		const site = await createSite();
		const owner = await createMember(site, 'owner');
		const { invitation: row, token } = await createInvite(as(site, owner, 'owner'), { role: 'editor', expiresInDays: '1' });
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(row.tokenHash).toBe(hashInviteToken(token!));
		expect(JSON.stringify(await db().select().from(invitation))).not.toContain(token!);
		expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(86_300_000);
		expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

		const actor = as(site, owner, 'owner');
		expect(await status(createInvite(actor, { role: 'editor', discordId: 'not-a-number' }))).toBe(400);
		expect(await status(createInvite(actor, { role: 'boss' as Role }))).toBe(400);
		expect(await status(createInvite(actor, { role: 'editor', expiresInDays: '365' }))).toBe(400);
		expect(await status(createInvite(actor, { role: 'editor', discordId: owner.discordId }))).toBe(409);
	});

	it('a Discord-id invitation is accepted at sign-in on its own site only, and never demotes', async () => {
		const site = await createSite();
		const other = await createSite();
		const owner = await createMember(site, 'owner');
		const invitee = await createUser();
		await createInvite(as(site, owner, 'owner'), { role: 'admin', discordId: invitee.discordId });
		const otherOwner = await createMember(other, 'owner');
		await createInvite(as(other, otherOwner, 'owner'), { role: 'editor', discordId: invitee.discordId });

		expect(await acceptDiscordInvites(site.id, invitee, invitee.discordId)).toEqual({ role: 'admin', raised: true });
		expect(await getRole(site.id, invitee.id)).toBe('admin');
		expect(await getRole(other.id, invitee.id)).toBeNull();
		// Used: signing in again changes nothing.
		expect(await acceptDiscordInvites(site.id, invitee, invitee.discordId)).toBeNull();
		const [pendingOnOther] = await db().select().from(invitation).where(eq(invitation.siteId, other.id));
		expect(pendingOnOther!.acceptedAt).toBeNull();

		// An owner invited as editor (say, before they became owner) stays owner.
		await db()
			.insert(invitation)
			.values({ siteId: site.id, role: 'editor', discordId: owner.discordId, expiresAt: new Date(Date.now() + 60_000) });
		expect(await acceptDiscordInvites(site.id, owner, owner.discordId)).toEqual({ role: 'owner', raised: false });
		expect(await getRole(site.id, owner.id)).toBe('owner');
	});

	it('expired invitations are ignored', async () => {
		const site = await createSite();
		const invitee = await createUser();
		await db()
			.insert(invitation)
			.values({ siteId: site.id, role: 'editor', discordId: invitee.discordId, expiresAt: new Date(Date.now() - 1000) });
		expect(await acceptDiscordInvites(site.id, invitee, invitee.discordId)).toBeNull();
		expect(await getRole(site.id, invitee.id)).toBeNull();
	});

	it('a link is single-use, expires, and works only on the site that issued it', async () => {
		const site = await createSite();
		const other = await createSite();
		const owner = await createMember(site, 'owner');
		const { token } = await createInvite(as(site, owner, 'owner'), { role: 'editor' });
		const first = await createUser();
		const second = await createUser();

		expect(await acceptInviteLink(other, token!, first)).toBeNull();
		expect(await acceptInviteLink(site, token!, first)).toEqual({ role: 'editor', raised: true });
		expect(await acceptInviteLink(site, token!, second)).toBeNull();
		expect(await getRole(site.id, second.id)).toBeNull();
		expect(await getRole(other.id, first.id)).toBeNull();

		const { token: stale } = await createInvite(as(site, owner, 'owner'), { role: 'admin' });
		await db()
			.update(invitation)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(invitation.tokenHash, hashInviteToken(stale!)));
		expect(await acceptInviteLink(site, stale!, second)).toBeNull();
		expect(await acceptInviteLink(site, 'x'.repeat(43), second)).toBeNull();
	});

	it('revoking: admins cannot revoke owner invitations; another site’s invitation is not found', async () => {
		const site = await createSite();
		const other = await createSite();
		const owner = await createMember(site, 'owner');
		const admin = await createMember(site, 'admin');
		const { invitation: ownerInvite } = await createInvite(as(site, owner, 'owner'), { role: 'owner' });
		const { invitation: editorInvite } = await createInvite(as(site, admin, 'admin'), { role: 'editor' });
		const otherOwner = await createMember(other, 'owner');
		const { invitation: foreignInvite } = await createInvite(as(other, otherOwner, 'owner'), { role: 'editor' });

		expect(await status(revokeInvite(as(site, admin, 'admin'), { id: ownerInvite.id }))).toBe(403);
		expect(await status(revokeInvite(as(site, admin, 'admin'), { id: editorInvite.id }))).toBe(200);
		expect(await status(revokeInvite(as(site, owner, 'owner'), { id: foreignInvite.id }))).toBe(404);
		expect(await status(revokeInvite(as(site, owner, 'owner'), { id: 'not-a-uuid' }))).toBe(404);
		expect(await status(revokeInvite(as(site, owner, 'owner'), { id: ownerInvite.id }))).toBe(200);
		const left = await db().select({ id: invitation.id }).from(invitation);
		expect(left.map((r) => r.id)).toContain(foreignInvite.id);
		expect(left.map((r) => r.id)).not.toContain(ownerInvite.id);
	});
});

describe('members', () => {
	it('only owners (and super admins) change roles, remove members or transfer ownership', async () => {
		const site = await createSite();
		const other = await createSite();
		const owner = await createMember(site, 'owner');
		const admin = await createMember(site, 'admin');
		const editor = await createMember(site, 'editor');
		const foreignOwner = await createMember(other, 'owner');

		expect(await status(changeRole(as(site, admin, 'admin'), { userId: editor.id, role: 'admin' }))).toBe(403);
		expect(await status(removeMember(as(site, admin, 'admin'), { userId: editor.id, confirm: 'yes' }))).toBe(403);
		expect(await status(transferOwnership(as(site, admin, 'admin'), { userId: admin.id, confirm: 'yes' }))).toBe(403);
		expect(await status(changeRole(as(site, foreignOwner, null), { userId: editor.id, role: 'owner' }))).toBe(404);
		// An owner of this site cannot reach a member of another site through it.
		expect(await status(changeRole(as(site, owner, 'owner'), { userId: foreignOwner.id, role: 'editor' }))).toBe(404);
		expect(await status(removeMember(as(site, owner, 'owner'), { userId: foreignOwner.id, confirm: 'yes' }))).toBe(404);
		expect(await roles(other.id)).toEqual({ [foreignOwner.id]: 'owner' });

		expect(await status(changeRole(as(site, owner, 'owner'), { userId: editor.id, role: 'admin' }))).toBe(200);
		expect(await status(changeRole(as(site, await createUser(), null, true), { userId: admin.id, role: 'editor' }))).toBe(200);
		expect(await roles(site.id)).toEqual({ [owner.id]: 'owner', [admin.id]: 'editor', [editor.id]: 'admin' });
		expect(await status(removeMember(as(site, owner, 'owner'), { userId: admin.id, confirm: 'yes' }))).toBe(200);
		expect(await roles(site.id)).toEqual({ [owner.id]: 'owner', [editor.id]: 'admin' });

		const audit = await db().select().from(auditEvent).where(eq(auditEvent.siteId, site.id));
		expect(audit.map((a) => a.action).sort()).toEqual(['member.remove', 'member.role', 'member.role']);
	});

	it('a site always keeps an owner: the last one can be neither demoted nor removed', async () => {
		const site = await createSite();
		const owner = await createMember(site, 'owner');
		const admin = await createMember(site, 'admin');
		const me = as(site, owner, 'owner');
		expect(await status(changeRole(me, { userId: owner.id, role: 'admin' }))).toBe(409);
		expect(await status(removeMember(me, { userId: owner.id, confirm: 'yes' }))).toBe(409);
		expect(await status(removeMember(as(site, await createUser(), null, true), { userId: owner.id, confirm: 'yes' }))).toBe(409);
		expect(await getRole(site.id, owner.id)).toBe('owner');

		await changeRole(me, { userId: admin.id, role: 'owner' });
		expect(await status(changeRole(me, { userId: owner.id, role: 'editor' }))).toBe(200);
		expect(await roles(site.id)).toEqual({ [owner.id]: 'editor', [admin.id]: 'owner' });
	});

	it('two owners demoting each other at once leave exactly one owner', async () => {
		for (let round = 0; round < 5; round++) {
			const site = await createSite();
			const a = await createMember(site, 'owner');
			const b = await createMember(site, 'owner');
			const results = await Promise.allSettled([
				changeRole(as(site, a, 'owner'), { userId: b.id, role: 'admin' }),
				changeRole(as(site, b, 'owner'), { userId: a.id, role: 'admin' })
			]);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			const owners = Object.values(await roles(site.id)).filter((r) => r === 'owner');
			expect(owners).toHaveLength(1);
		}
	});

	it('transferring ownership makes the target owner and the old owner admin', async () => {
		const site = await createSite();
		const owner = await createMember(site, 'owner');
		const editor = await createMember(site, 'editor');
		const stranger = await createUser();
		expect(await status(transferOwnership(as(site, owner, 'owner'), { userId: stranger.id, confirm: 'yes' }))).toBe(404);
		expect(await status(transferOwnership(as(site, owner, 'owner'), { userId: owner.id, confirm: 'yes' }))).toBe(400);
		await transferOwnership(as(site, owner, 'owner'), { userId: editor.id, confirm: 'yes' });
		expect(await roles(site.id)).toEqual({ [owner.id]: 'admin', [editor.id]: 'owner' });
		// A super admin who is no member just promotes.
		await transferOwnership(as(site, stranger, null, true), { userId: owner.id, confirm: 'yes' });
		expect(await roles(site.id)).toEqual({ [owner.id]: 'owner', [editor.id]: 'owner' });
		const [entry] = await db()
			.select()
			.from(auditEvent)
			.where(and(eq(auditEvent.siteId, site.id), eq(auditEvent.action, 'member.transfer_ownership')))
			.limit(1);
		expect(entry!.actorUserId).toBe(owner.id);
	});
});

describe('bootstrap owner', () => {
	it('creates the owner membership when missing, raises a lower role, and is idempotent', async () => {
		const site = await createSite();
		const person = await createUser();
		expect(await ensureBootstrapOwner(site.id, person)).toEqual({ role: 'owner', raised: true });
		expect(await ensureBootstrapOwner(site.id, person)).toEqual({ role: 'owner', raised: false });
		const editor = await createMember(site, 'editor');
		await ensureBootstrapOwner(site.id, editor);
		expect(await roles(site.id)).toEqual({ [person.id]: 'owner', [editor.id]: 'owner' });
		const audit = await db().select().from(auditEvent).where(eq(auditEvent.siteId, site.id));
		expect(audit.filter((a) => a.action === 'member.bootstrap_owner')).toHaveLength(2);
	});
});
