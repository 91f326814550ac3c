/**
 * Who holds which role on a site, and how that changes: invitations (by Discord id or one-time
 * link), role changes, removal, ownership transfer, and what happens at sign-in (pending
 * invitations, the bootstrap owner).
 *
 * Every function that acts for a person takes that person's `locals` (App.Locals fits): the site
 * always comes from `locals.site`, never from the client, and each function checks permission
 * itself, so a form action cannot forget. Rules a request can break throw AppError (status by
 * code); missing permission throws like requirePermission (401/403/404).
 *
 * The last owner cannot be demoted or removed: changes that could remove an owner lock the
 * site's owner rows first (see lockOwners), so concurrent changes cannot race past the rule.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import { siteWrite } from '../queries/write';
import type { Tx } from '../db';
import {
	consumeDiscordInvites,
	consumeInviteTokenHash,
	createInvitation,
	getInvitation,
	getMember,
	getRole,
	hashInviteToken,
	lockOwners,
	removeMembership,
	revokeInvitation,
	ROLE_RANK,
	setMembership,
	type Role
} from '../queries/members';
import { assignableRoles, requirePermission, type PermissionContext } from './permissions';
import { userIdOfDiscordId } from './accounts';

export interface MemberActor extends PermissionContext {
	site: { id: string } | null;
	user: { id: string; name: string } | null;
}

type Acting = MemberActor & { site: { id: string }; user: { id: string; name: string } };

const actorOf = (locals: Acting) => ({ userId: locals.user.id, name: locals.user.name });

export const ROLES = ['owner', 'admin', 'editor'] as const satisfies readonly Role[];
export const roleSchema = z.enum(ROLES, { message: 'Choose owner, admin or editor' });
export const discordIdSchema = z
	.string()
	.trim()
	.regex(/^\d{15,22}$/, 'A Discord user id is a number of 15 to 22 digits (Discord: right-click the user → Copy User ID)');

export const INVITE_DEFAULT_HOURS = 7 * 24;
export const INVITE_MAX_HOURS = 30 * 24;

export const inviteInputSchema = z.object({
	role: roleSchema,
	/** Absent: a one-time link anyone holding it can use. */
	discordId: discordIdSchema.optional(),
	expiresInHours: z.coerce
		.number()
		.int('Whole hours only')
		.min(1, 'At least one hour')
		.max(INVITE_MAX_HOURS, 'At most 30 days')
		.default(INVITE_DEFAULT_HOURS)
});
export type InviteInput = z.input<typeof inviteInputSchema>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
	const result = schema.safeParse(input);
	if (!result.success) throw new AppError('bad_request', result.error.issues[0]?.message ?? 'Invalid input', result.error.issues);
	return result.data;
}

function acting(locals: MemberActor, action: Parameters<typeof requirePermission>[1]): Acting {
	requirePermission(locals, action);
	return locals as Acting;
}

// ---- Invitations ----

/**
 * Invite someone with a role. With `discordId`, that Discord account gets the role the next time
 * it signs in on this site; without, a one-time link token is returned (shown once: only its
 * hash is stored). Admins may invite admins and editors; owners (and super admins) also owners.
 */
export async function createInvite(locals: MemberActor, input: InviteInput) {
	const who = acting(locals, 'members.invite');
	const { role, discordId, expiresInHours } = parse(inviteInputSchema, input);
	if (!assignableRoles(locals).includes(role)) throw new AppError('forbidden', `Only an owner can invite someone as ${role}`);
	if (discordId) {
		const existing = await userIdOfDiscordId(discordId);
		if (existing && (await getRole(who.site.id, existing)))
			throw new AppError('conflict', 'This Discord account is already a member of this site');
	}
	const token = discordId ? null : randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + expiresInHours * 3_600_000);
	const invitation = await siteWrite(
		who.site.id,
		actorOf(who),
		{ action: 'member.invite', targetType: 'invitation', target: discordId ? `Discord ${discordId} as ${role}` : `invite link as ${role}` },
		(tx: Tx) =>
			createInvitation(
				who.site.id,
				{ role, discordId: discordId ?? null, tokenHash: token ? hashInviteToken(token) : null, expiresAt, createdBy: who.user.id },
				tx
			)
	);
	return { invitation, token };
}

export async function revokeInvite(locals: MemberActor, invitationId: string) {
	const who = acting(locals, 'members.invite');
	if (!z.uuid().safeParse(invitationId).success) throw new AppError('not_found', 'No such invitation');
	return siteWrite(
		who.site.id,
		actorOf(who),
		(row) => ({ action: 'member.invite_revoke', targetType: 'invitation', targetId: row.id, target: row.role }),
		async (tx: Tx) => {
			const row = await getInvitation(who.site.id, invitationId, tx);
			if (!row || row.acceptedAt) throw new AppError('not_found', 'No such invitation');
			if (!assignableRoles(locals).includes(row.role)) throw new AppError('forbidden', 'Only an owner can revoke an owner invitation');
			const deleted = await revokeInvitation(who.site.id, invitationId, tx);
			if (!deleted) throw new AppError('not_found', 'No such invitation');
			return deleted;
		}
	);
}

// ---- Members (owners only) ----

function requireOtherOwner(owners: string[], leavingUserId: string) {
	if (!owners.some((id) => id !== leavingUserId)) {
		throw new AppError('conflict', 'A site needs at least one owner: make someone else owner first');
	}
}

export async function changeRole(locals: MemberActor, userId: string, newRole: Role) {
	const who = acting(locals, 'members.manage');
	const role = parse(roleSchema, newRole);
	return siteWrite(
		who.site.id,
		actorOf(who),
		(r) => (r.changed ? { action: 'member.role', targetType: 'user', targetId: userId, target: `${r.name}: ${r.from} → ${r.role}` } : null),
		async (tx: Tx) => {
			const owners = await lockOwners(who.site.id, tx);
			const member = await getMember(who.site.id, userId, tx);
			if (!member) throw new AppError('not_found', 'No such member');
			if (member.role === role) return { ...member, from: member.role, changed: false };
			if (member.role === 'owner') requireOtherOwner(owners, userId);
			await setMembership(who.site.id, userId, role, tx);
			return { ...member, from: member.role, role, changed: true };
		}
	);
}

export async function removeMember(locals: MemberActor, userId: string) {
	const who = acting(locals, 'members.manage');
	return siteWrite(
		who.site.id,
		actorOf(who),
		(m) => ({ action: 'member.remove', targetType: 'user', targetId: userId, target: `${m.name} (${m.role})` }),
		async (tx: Tx) => {
			const owners = await lockOwners(who.site.id, tx);
			const member = await getMember(who.site.id, userId, tx);
			if (!member) throw new AppError('not_found', 'No such member');
			if (member.role === 'owner') requireOtherOwner(owners, userId);
			await removeMembership(who.site.id, userId, tx);
			return member;
		}
	);
}

/**
 * Make another member the owner. An owner handing over becomes admin (they can be promoted
 * back); a super admin who is not a member just promotes the new owner.
 */
export async function transferOwnership(locals: MemberActor, toUserId: string) {
	const who = acting(locals, 'members.manage');
	if (toUserId === who.user.id) throw new AppError('bad_request', 'You already hold this site');
	return siteWrite(
		who.site.id,
		actorOf(who),
		(m) => ({ action: 'member.transfer_ownership', targetType: 'user', targetId: toUserId, target: m.name }),
		async (tx: Tx) => {
			await lockOwners(who.site.id, tx);
			const target = await getMember(who.site.id, toUserId, tx);
			if (!target) throw new AppError('not_found', 'No such member');
			await setMembership(who.site.id, toUserId, 'owner', tx);
			const self = await getMember(who.site.id, who.user.id, tx);
			if (self?.role === 'owner') await setMembership(who.site.id, who.user.id, 'admin', tx);
			return target;
		}
	);
}

// ---- At sign-in (no permission: the system acts for the person signing in) ----

/** Give `role` unless the user already holds it or more (an invitation never demotes). */
async function raiseTo(siteId: string, userId: string, role: Role, tx: Tx): Promise<{ role: Role; raised: boolean }> {
	const current = await getRole(siteId, userId, tx);
	if (current && ROLE_RANK[current] >= ROLE_RANK[role]) return { role: current, raised: false };
	await setMembership(siteId, userId, role, tx);
	return { role, raised: true };
}

const highest = (roles: Role[]) => roles.reduce((a, b) => (ROLE_RANK[b] > ROLE_RANK[a] ? b : a));

/** Accept this site's pending invitations for the Discord id that just signed in. */
export async function acceptDiscordInvites(siteId: string, user: { id: string; name: string }, discordId: string) {
	return siteWrite(
		siteId,
		{ userId: user.id, name: user.name },
		(r) => (r ? { action: 'member.join', targetType: 'user', targetId: user.id, target: `${user.name} as ${r.role} (invitation)` } : null),
		async (tx: Tx) => {
			const accepted = await consumeDiscordInvites(siteId, discordId, user.id, tx);
			if (accepted.length === 0) return null;
			return raiseTo(siteId, user.id, highest(accepted.map((a) => a.role)), tx);
		}
	);
}

/** Use a one-time invitation link; null when it is unknown, used, expired or of another site. */
export async function acceptInviteLink(siteId: string, token: string, user: { id: string; name: string }) {
	if (typeof token !== 'string' || token.length < 16 || token.length > 200) return null;
	return siteWrite(
		siteId,
		{ userId: user.id, name: user.name },
		(r) => (r ? { action: 'member.join', targetType: 'user', targetId: user.id, target: `${user.name} as ${r.role} (invite link)` } : null),
		async (tx: Tx) => {
			const invite = await consumeInviteTokenHash(siteId, hashInviteToken(token), user.id, tx);
			if (!invite) return null;
			return raiseTo(siteId, user.id, invite.role, tx);
		}
	);
}

/** OWNER_DISCORD_ID on SITE_SLUG's site: the first owner, made at sign-in when missing. */
export async function ensureBootstrapOwner(siteId: string, user: { id: string; name: string }) {
	return siteWrite(
		siteId,
		{ userId: user.id, name: user.name },
		(r) => (r.raised ? { action: 'member.bootstrap_owner', targetType: 'user', targetId: user.id, target: user.name } : null),
		(tx: Tx) => raiseTo(siteId, user.id, 'owner', tx)
	);
}
