/**
 * Members and invitations. Admins may invite (editors and admins); owners also change roles,
 * remove people and hand over ownership. The rules (last owner, who may give which role) live in
 * services/members.ts. Another site's user or invitation id is "no such member" (404).
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import {
	changeRole,
	createInvite,
	INVITE_EXPIRY_DAYS,
	membersPage,
	removeMember,
	revokeInvite,
	transferOwnership
} from '$lib/server/services/members';
import { adminPath } from '$lib/server/admin-path';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const page = await membersPage(siteActor(locals));
		return {
			...page,
			expiryDays: INVITE_EXPIRY_DAYS,
			members: page.members.map((m) => ({ ...m, since: m.since.toISOString() })),
			invitations: page.invitations.map((i) => ({
				id: i.id,
				role: i.role,
				discordId: i.discordId,
				email: i.email,
				expiresAt: i.expiresAt.toISOString()
			}))
		};
	});

const done = (event: RequestEvent, what: string): never => redirect(303, adminPath(event, `/members?done=${what}`));

export const actions: Actions = {
	invite: (event) =>
		formAction(event, 'invite', async ({ input }) => {
			const { token, role, expiresInDays, emailedTo } = await createInvite(siteActor(event.locals), input);
			if (emailedTo) return { form: 'invite', emailedTo };
			// The link is shown once, here: only its hash is stored.
			if (token)
				return { form: 'invite', inviteUrl: canonicalUrl(event.locals.site!.primaryHost, `/invite/${token}`, event), role, expiresInDays };
			done(event, 'invited');
		}),
	revoke: (event) =>
		formAction(event, 'revoke', async ({ input }) => {
			await revokeInvite(siteActor(event.locals), input);
			done(event, 'revoked');
		}),
	role: (event) =>
		formAction(event, rowForm('member', 'userId'), async ({ input }) => {
			await changeRole(siteActor(event.locals), input);
			done(event, 'role');
		}),
	remove: (event) =>
		formAction(event, rowForm('remove', 'userId'), async ({ input }) => {
			const removed = await removeMember(siteActor(event.locals), input);
			// Someone who removed themselves has nothing left to see here (super admins excepted).
			if (removed.removedSelf && !event.locals.isSuperAdmin) redirect(303, '/');
			done(event, 'removed');
		}),
	transfer: (event) =>
		formAction(event, 'transfer', async ({ input }) => {
			await transferOwnership(siteActor(event.locals), input);
			done(event, 'transferred');
		})
};
