/**
 * Members and invitations. Admins may invite (editors and admins); owners also change roles,
 * remove people and hand over ownership. The rules (last owner, who may give which role) live in
 * auth/membership.ts, which checks permission itself; this module turns its refusals into form
 * messages. Another site's user or invitation id is "no such member" (404), never a change.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { assignableRoles, can, requirePermission } from '$lib/server/auth/permissions';
import { changeRole, createInvite, removeMember, revokeInvite, transferOwnership, type InviteInput } from '$lib/server/auth/membership';
import { listInvitations, listMembers, type Role } from '$lib/server/content/members';
import { AppError } from '$lib/server/errors';
import { adminPath } from '$lib/server/admin/context';
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

/** Run a membership change; a rule it breaks becomes a message on the form (404 stays a 404). */
async function attempt(formName: string, run: () => Promise<unknown>) {
	try {
		await run();
		return null;
	} catch (e) {
		if (e instanceof AppError) {
			if (e.status === 404) error(404, 'Not found');
			return fail(e.status, { form: formName, message: e.message, errors: {}, values: {} });
		}
		throw e;
	}
}

const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
const done = (event: RequestEvent, what: string): never => redirect(303, adminPath(event, `/members?done=${what}`));

export const actions: Actions = {
	invite: async (event) => {
		const form = await event.request.formData();
		const discordId = field(form, 'discordId');
		let token: string | null = null;
		const failed = await attempt('invite', async () => {
			const input: InviteInput = { role: field(form, 'role') as Role, expiresInHours: Number(field(form, 'expiresInDays') || 7) * 24 };
			if (discordId) input.discordId = discordId;
			token = (await createInvite(event.locals, input)).token;
		});
		if (failed) return failed;
		if (token) return { form: 'invite', inviteUrl: canonicalUrl(event.locals.site!.primaryHost, `/invite/${token}`, event) };
		done(event, 'invited');
	},
	revoke: async (event) => {
		const form = await event.request.formData();
		return (await attempt('revoke', () => revokeInvite(event.locals, field(form, 'id')))) ?? done(event, 'revoked');
	},
	role: async (event) => {
		const form = await event.request.formData();
		return (await attempt(`member-${field(form, 'userId')}`, () => changeRole(event.locals, field(form, 'userId'), field(form, 'role') as Role))) ?? done(event, 'role');
	},
	remove: async (event) => {
		const form = await event.request.formData();
		return (await attempt(`member-${field(form, 'userId')}`, () => removeMember(event.locals, field(form, 'userId')))) ?? done(event, 'removed');
	},
	transfer: async (event) => {
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') return fail(400, { form: 'transfer', message: 'Tick the box to confirm the hand-over', errors: {}, values: {} });
		return (await attempt('transfer', () => transferOwnership(event.locals, field(form, 'userId')))) ?? done(event, 'transferred');
	}
};
