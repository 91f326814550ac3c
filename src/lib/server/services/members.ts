/**
 * Who holds which role on a site, and how that changes: invitations (by Discord id or one-time
 * link), role changes, removal, ownership transfer, and what happens at sign-in (pending
 * invitations, the bootstrap owner).
 *
 * Rules a request can break throw AppError; missing permission is 401/403/404 (actor.ts). The
 * last owner cannot be demoted or removed: changes that could remove an owner lock the site's
 * owner rows first (see lockOwners), so concurrent changes cannot race past the rule.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidInput, notFound } from '../errors';
import { isUuid } from '../ids';
import { parseInput, say } from '../input';
import { siteRead } from '../db';
import {
	consumeDiscordInvites,
	consumeInviteTokenHash,
	createInvitation,
	findPendingInviteByTokenHash,
	getInvitation,
	getMember,
	getRole,
	hashInviteToken,
	listInvitations,
	listMembers,
	lockOwners,
	removeMembership,
	revokeInvitation,
	ROLE_RANK,
	setMembership,
	type Role
} from '../queries/members';
import { assignableRoles, can } from '../auth/permissions';
import { userIdOfDiscordId } from '../auth/accounts';
import { allow, auditActor, systemActor, type Person, type SiteActor } from './actor';
import { write, type Write } from './write';
import { mailEnabled } from '../mail/transport';
import { invitationMail } from '../mail/invitation';
import { emailSchema, MAIL_SEND_JOB } from './followers';
import { m } from '../../paraglide/messages';
import { roleInText } from '../../components/admin/roles';

export const ROLES = ['owner', 'admin', 'editor'] as const satisfies readonly Role[];
export const roleSchema = z.enum(ROLES, say(m.site_admin_error_role));
export const discordIdSchema = z
	.string()
	.trim()
	.regex(/^\d{15,22}$/, say(m.site_admin_error_discord_id));

/** How long an invitation waits: the form offers these, in days. */
export const INVITE_EXPIRY_DAYS = ['1', '7', '30'] as const;

const inviteSchema = z.object({
	role: roleSchema,
	/** Empty or absent: a one-time link anyone holding it can use. */
	discordId: z
		.union([z.literal(''), discordIdSchema])
		.optional()
		.transform((v) => v || undefined),
	expiresInDays: z.enum(INVITE_EXPIRY_DAYS, say(m.site_admin_error_expiry)).default('7'),
	/** With an address (when the server sends mail): the one-time link goes there by e-mail. */
	email: z.unknown().optional()
});

const memberId = z.string().trim().min(1, say(m.site_admin_error_choose_member)).max(100, say(m.site_admin_error_choose_member));
const confirmed = (message: () => string) => z.literal('yes', say(message));

/** The invitation's e-mail address: empty means none; refused with a Discord id or without mail. */
function inviteEmail(raw: unknown, discordId: string | undefined): string | undefined {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
	if (!mailEnabled()) throw invalidInput({ email: m.site_admin_error_no_mail() });
	if (discordId) throw invalidInput({ email: m.mail_admin_invite_both() });
	const parsed = emailSchema().safeParse(raw);
	if (!parsed.success) throw invalidInput({ email: m.mail_follow_invalid() });
	return parsed.data;
}

// ---- Reads ----

export async function membersPage(actor: SiteActor) {
	const who = allow(actor, 'members.invite');
	const [members, invitations] = await siteRead(who.site.id, () => Promise.all([listMembers(who.site.id), listInvitations(who.site.id)]));
	return {
		members: members.map((m) => ({ ...m, isYou: m.userId === who.user.id })),
		invitations,
		canManage: can(who, 'members.manage'),
		inviteRoles: assignableRoles(who),
		canEmail: mailEnabled()
	};
}

/** What a one-time link offers (shown before sign-in), or null when unknown, used or expired. */
export async function invitationOfLink(site: { id: string }, token: string) {
	if (!INVITE_TOKEN.test(token)) return null;
	return (await siteRead(site.id, () => findPendingInviteByTokenHash(site.id, hashInviteToken(token)))) ?? null;
}

// ---- Invitations ----

const INVITE_TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/**
 * Invite someone with a role. With `discordId`, that Discord account gets the role the next time
 * it signs in on this site; without, a one-time link token is returned (shown once: only its
 * hash is stored). Admins may invite admins and editors; owners (and super admins) also owners.
 */
export async function createInvite(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'members.invite');
	const { role, discordId, expiresInDays, email: rawEmail } = parseInput(inviteSchema, input);
	const email = inviteEmail(rawEmail, discordId);
	if (!assignableRoles(who).includes(role)) {
		const message = m.site_admin_error_invite_role({ role: roleInText(role) });
		throw new AppError('forbidden', message, undefined, { role: message });
	}
	const siteId = who.site.id;
	const token = discordId ? null : randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + Number(expiresInDays) * 86_400_000);
	const invitation = await write({ siteId, actor: auditActor(who) }, async (w) => {
		if (discordId) {
			const existing = await userIdOfDiscordId(discordId);
			if (existing && (await getRole(siteId, existing))) {
				const message = m.site_admin_error_already_member();
				throw new AppError('conflict', message, undefined, { discordId: message });
			}
			if ((await listInvitations(siteId)).some((i) => i.discordId === discordId)) {
				const message = m.site_admin_error_already_invited();
				throw new AppError('conflict', message, undefined, { discordId: message });
			}
		}
		const row = await createInvitation(siteId, {
			role,
			discordId: discordId ?? null,
			tokenHash: token ? hashInviteToken(token) : null,
			email: email ?? null,
			expiresAt,
			createdBy: who.user.id
		});
		await w.audit({
			action: 'member.invite',
			targetType: 'invitation',
			targetId: row.id,
			target: discordId ?? '',
			detail: { role, via: discordId ? 'discord' : email ? 'email' : 'link' }
		});
		if (email && token) {
			await w.enqueue({
				name: MAIL_SEND_JOB,
				data: invitationMail(who.site, { id: row.id, email, role, expiresAt, token, inviter: who.user.name })
			});
		}
		return row;
	});
	// A link sent by e-mail is not shown: it went to the address only.
	return { invitation, token: email ? null : token, emailedTo: email ?? null, role, expiresInDays };
}

export async function revokeInvite(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'members.invite');
	const { id } = parseInput(z.object({ id: z.unknown() }), input);
	if (!isUuid(id)) throw notFound(m.site_admin_error_no_invitation());
	return write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		const row = await getInvitation(who.site.id, id);
		if (!row || row.acceptedAt) throw notFound(m.site_admin_error_no_invitation());
		if (!assignableRoles(who).includes(row.role)) throw new AppError('forbidden', m.site_admin_error_revoke_owner());
		const deleted = await revokeInvitation(who.site.id, id);
		if (!deleted) throw notFound(m.site_admin_error_no_invitation());
		await w.audit({ action: 'member.invite_revoke', targetType: 'invitation', targetId: deleted.id, detail: { role: deleted.role } });
		return deleted;
	});
}

// ---- Members (owners only) ----

function requireOtherOwner(owners: string[], leavingUserId: string) {
	if (!owners.some((id) => id !== leavingUserId)) {
		throw new AppError('conflict', m.site_admin_error_last_owner());
	}
}

export async function changeRole(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'members.manage');
	const { userId, role } = parseInput(z.object({ userId: memberId, role: roleSchema }), input);
	if (!assignableRoles(who).includes(role))
		throw new AppError('forbidden', m.site_admin_error_cannot_give_role({ role: roleInText(role) }), undefined, {
			role: m.site_admin_error_cannot_give_role({ role: roleInText(role) })
		});
	return write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		const owners = await lockOwners(who.site.id);
		const member = await getMember(who.site.id, userId);
		if (!member) throw notFound(m.site_admin_error_no_member());
		if (member.role === role) return { ...member, from: member.role, changed: false };
		if (member.role === 'owner') requireOtherOwner(owners, userId);
		await setMembership(who.site.id, userId, role);
		await w.audit({
			action: 'member.role',
			targetType: 'user',
			targetId: userId,
			target: member.name,
			detail: { from: member.role, to: role }
		});
		return { ...member, from: member.role, role, changed: true };
	});
}

export async function removeMember(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'members.manage');
	const { userId } = parseInput(z.object({ userId: memberId, confirm: confirmed(m.site_admin_error_confirm_removal) }), input);
	const member = await write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		const owners = await lockOwners(who.site.id);
		const member = await getMember(who.site.id, userId);
		if (!member) throw notFound(m.site_admin_error_no_member());
		if (member.role === 'owner') requireOtherOwner(owners, userId);
		await removeMembership(who.site.id, userId);
		await w.audit({ action: 'member.remove', targetType: 'user', targetId: userId, target: member.name, detail: { role: member.role } });
		return member;
	});
	return { ...member, removedSelf: userId === who.user.id };
}

/**
 * Make another member the owner. An owner handing over becomes admin (they can be promoted
 * back); a super admin who is not a member just promotes the new owner.
 */
export async function transferOwnership(actor: SiteActor, input: unknown) {
	const who = allow(actor, 'members.manage');
	const { userId } = parseInput(z.object({ userId: memberId, confirm: confirmed(m.site_admin_error_confirm_hand_over) }), input);
	if (userId === who.user.id) throw invalidInput({ userId: m.site_admin_error_someone_else() });
	return write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		await lockOwners(who.site.id);
		const target = await getMember(who.site.id, userId);
		if (!target) throw notFound(m.site_admin_error_no_member());
		await setMembership(who.site.id, userId, 'owner');
		const self = await getMember(who.site.id, who.user.id);
		if (self?.role === 'owner') await setMembership(who.site.id, who.user.id, 'admin');
		await w.audit({ action: 'member.transfer_ownership', targetType: 'user', targetId: userId, target: target.name });
		return target;
	});
}

// ---- At sign-in (no permission: the system acts for the person signing in) ----

/** Give `role` unless the user already holds it or more (an invitation never demotes). */
async function raiseTo(siteId: string, userId: string, role: Role): Promise<{ role: Role; raised: boolean }> {
	const current = await getRole(siteId, userId);
	if (current && ROLE_RANK[current] >= ROLE_RANK[role]) return { role: current, raised: false };
	await setMembership(siteId, userId, role);
	return { role, raised: true };
}

const highest = (roles: Role[]) => roles.reduce((a, b) => (ROLE_RANK[b] > ROLE_RANK[a] ? b : a));

/** The audit row of a person who joined through an invitation (by Discord id or by link). */
const auditJoin = (w: Write, user: Person, role: Role, via: 'invitation' | 'link') =>
	w.audit({ action: 'member.join', targetType: 'user', targetId: user.id, target: user.name, detail: { role, via } });

/** Accept this site's pending invitations for the Discord id that just signed in. */
export async function acceptDiscordInvites(siteId: string, user: Person, discordId: string) {
	return write({ siteId, actor: systemActor(user) }, async (w) => {
		const accepted = await consumeDiscordInvites(siteId, discordId, user.id);
		if (accepted.length === 0) return null;
		const result = await raiseTo(siteId, user.id, highest(accepted.map((a) => a.role)));
		await auditJoin(w, user, result.role, 'invitation');
		return result;
	});
}

/** Use a one-time invitation link; null when it is unknown, used, expired or of another site. */
export async function acceptInviteLink(site: { id: string }, token: string, user: Person) {
	if (typeof token !== 'string' || !INVITE_TOKEN.test(token)) return null;
	return write({ siteId: site.id, actor: systemActor(user) }, async (w) => {
		const invite = await consumeInviteTokenHash(site.id, hashInviteToken(token), user.id);
		if (!invite) return null;
		const result = await raiseTo(site.id, user.id, invite.role);
		await auditJoin(w, user, result.role, 'link');
		return result;
	});
}

/** OWNER_DISCORD_ID on SITE_SLUG's site: the first owner, made at sign-in when missing. */
export async function ensureBootstrapOwner(siteId: string, user: Person) {
	return write({ siteId, actor: systemActor(user) }, async (w) => {
		const result = await raiseTo(siteId, user.id, 'owner');
		if (result.raised) await w.audit({ action: 'member.bootstrap_owner', targetType: 'user', targetId: user.id, target: user.name });
		return result;
	});
}
