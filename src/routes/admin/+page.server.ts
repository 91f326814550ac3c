/**
 * Placeholder dashboard until the admin panel lands: site name, your role, sign out, and one real
 * guarded action (create a one-time invite link) so permissions are exercised end to end.
 */
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { assignableRoles, can, requirePermission } from '$lib/server/auth/permissions';
import { createInvite, type InviteInput } from '$lib/server/auth/membership';
import { AppError } from '$lib/server/errors';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'admin.view');
	return { inviteRoles: can(locals, 'members.invite') ? assignableRoles(locals) : [] };
};

export const actions: Actions = {
	invite: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'members.invite');
		const form = await request.formData();
		try {
			// createInvite validates the role (zod) and whether this person may hand it out.
			const { token } = await createInvite(locals, { role: form.get('role') as InviteInput['role'] });
			return { inviteUrl: canonicalUrl(locals.site!.primaryHost, `/invite/${token}`, event) };
		} catch (e) {
			if (e instanceof AppError) return fail(e.status, { message: e.message });
			throw e;
		}
	}
};
