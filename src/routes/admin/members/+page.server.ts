/**
 * Members and invitations. Admins may invite (editors and admins); owners also change roles,
 * remove people and hand over ownership. Each action checks permission first, reads its form
 * through a zod schema (400 with an error next to the field, values kept), then calls
 * auth/membership.ts, which holds the rules (last owner, who may give which role) and checks
 * permission again. Another site's user or invitation id is "no such member" (404), never a change.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { assignableRoles, can, requirePermission } from '$lib/server/auth/permissions';
import {
	changeRole,
	createInvite,
	discordIdSchema,
	removeMember,
	revokeInvite,
	roleSchema,
	transferOwnership
} from '$lib/server/auth/membership';
import { listInvitations, listMembers } from '$lib/server/queries/members';
import { AppError } from '$lib/server/errors';
import { adminPath } from '$lib/server/admin/context';
import { invalid, parseForm, type FieldErrors } from '$lib/server/forms';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'members.invite');
	const site = locals.site!;
	const [members, invitations] = await Promise.all([listMembers(site.id), listInvitations(site.id)]);
	return {
		members: members.map((m) => ({ ...m, since: m.since.toISOString(), isYou: m.userId === locals.user!.id })),
		invitations: invitations.map((i) => ({ id: i.id, role: i.role, discordId: i.discordId, expiresAt: i.expiresAt.toISOString() })),
		canManage: can(locals, 'members.manage'),
		inviteRoles: assignableRoles(locals)
	};
};

const EXPIRY_DAYS = ['1', '7', '30'] as const;

const id = z.string().trim().min(1, 'Choose a member').max(100, 'Choose a member');
const confirmed = (message: string) => z.literal('yes', { message });

const inviteSchema = z.object({
	role: roleSchema,
	/** Empty: a one-time link instead. */
	discordId: z
		.union([z.literal(''), discordIdSchema])
		.optional()
		.transform((v) => v || undefined),
	expiresInDays: z.enum(EXPIRY_DAYS, { message: 'Choose 1, 7 or 30 days' }).default('7')
});
const revokeSchema = z.object({ id: z.string().trim().min(1) });
const roleChangeSchema = z.object({ userId: id, role: roleSchema });
const removeSchema = z.object({ userId: id, confirm: confirmed('Tick the box to confirm the removal') });
const transferSchema = z.object({ userId: id, confirm: confirmed('Tick the box to confirm the hand-over') });

/**
 * Run a membership change. "No such member/invitation" is a 404 (the id may be another site's);
 * any other rule it breaks becomes a 4xx on the form, next to `field` when there is one.
 */
async function attempt(form: FormData, formName: string, run: () => Promise<unknown>, field?: string) {
	try {
		await run();
		return null;
	} catch (e) {
		if (!(e instanceof AppError)) throw e;
		if (e.status === 404) error(404, 'Not found');
		const errors: FieldErrors = field ? { [field]: e.message } : {};
		return invalid(form, errors, formName, field ? undefined : e.message, e.status);
	}
}

const done = (event: RequestEvent, what: string): never => redirect(303, adminPath(event, `/members?done=${what}`));

export const actions: Actions = {
	invite: async (event) => {
		requirePermission(event.locals, 'members.invite');
		const form = await event.request.formData();
		const parsed = parseForm(inviteSchema, form, 'invite');
		if (!parsed.ok) return parsed.failure;
		const { role, discordId, expiresInDays } = parsed.data;
		if (!assignableRoles(event.locals).includes(role)) {
			return invalid(form, { role: `Only an owner can invite someone as ${role}` }, 'invite', undefined, 403);
		}
		if (discordId && (await listInvitations(event.locals.site!.id)).some((i) => i.discordId === discordId)) {
			return invalid(
				form,
				{ discordId: 'This Discord account already has a waiting invitation: revoke it first to change the role' },
				'invite',
				undefined,
				409
			);
		}
		let token: string | null = null;
		const failed = await attempt(
			form,
			'invite',
			async () => {
				token = (await createInvite(event.locals, { role, discordId, expiresInHours: Number(expiresInDays) * 24 })).token;
			},
			discordId ? 'discordId' : 'role'
		);
		if (failed) return failed;
		// The link is shown once, here: only its hash is stored.
		if (token)
			return { form: 'invite', inviteUrl: canonicalUrl(event.locals.site!.primaryHost, `/invite/${token}`, event), role, expiresInDays };
		done(event, 'invited');
	},
	revoke: async (event) => {
		requirePermission(event.locals, 'members.invite');
		const form = await event.request.formData();
		const parsed = parseForm(revokeSchema, form, 'revoke');
		if (!parsed.ok) return parsed.failure;
		return (await attempt(form, 'revoke', () => revokeInvite(event.locals, parsed.data.id))) ?? done(event, 'revoked');
	},
	role: async (event) => {
		requirePermission(event.locals, 'members.manage');
		const form = await event.request.formData();
		const name = `member-${String(form.get('userId') ?? '')}`;
		const parsed = parseForm(roleChangeSchema, form, name);
		if (!parsed.ok) return parsed.failure;
		const { userId, role } = parsed.data;
		if (!assignableRoles(event.locals).includes(role))
			return invalid(form, { role: `You cannot give the role ${role}` }, name, undefined, 403);
		return (await attempt(form, name, () => changeRole(event.locals, userId, role), 'role')) ?? done(event, 'role');
	},
	remove: async (event) => {
		requirePermission(event.locals, 'members.manage');
		const form = await event.request.formData();
		const name = `remove-${String(form.get('userId') ?? '')}`;
		const parsed = parseForm(removeSchema, form, name);
		if (!parsed.ok) return parsed.failure;
		const self = parsed.data.userId === event.locals.user!.id;
		const failed = await attempt(form, name, () => removeMember(event.locals, parsed.data.userId));
		if (failed) return failed;
		// Someone who removed themselves has nothing left to see here (super admins excepted).
		if (self && !event.locals.isSuperAdmin) redirect(303, '/');
		done(event, 'removed');
	},
	transfer: async (event) => {
		requirePermission(event.locals, 'members.manage');
		const form = await event.request.formData();
		const parsed = parseForm(transferSchema, form, 'transfer');
		if (!parsed.ok) return parsed.failure;
		if (parsed.data.userId === event.locals.user!.id) return invalid(form, { userId: 'Choose someone else' }, 'transfer');
		return (
			(await attempt(form, 'transfer', () => transferOwnership(event.locals, parsed.data.userId), 'userId')) ?? done(event, 'transferred')
		);
	}
};
