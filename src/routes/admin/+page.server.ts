/**
 * Dashboard: what is coming up, what is unfinished, what changed lately, and whether the site's
 * domains are in order. The invite action stays here as a quick action for admins and owners.
 */
import type { Actions, PageServerLoad } from './$types';
import { assignableRoles, can, requirePermission } from '$lib/server/auth/permissions';
import { createInvite } from '$lib/server/services/members';
import { siteActor } from '$lib/server/services/actor';
import { formAction } from '$lib/server/forms';
import { canonicalUrl } from '$lib/server/urls';
import { listEventsForAdmin, listUpcomingEvents } from '$lib/server/queries/events';
import { listPages } from '$lib/server/queries/pages';
import { listSiteAudit } from '$lib/server/queries/audit';
import { listDomains } from '$lib/server/queries/sites';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'admin.view');
	const site = locals.site!;
	const now = new Date();
	const [upcoming, draftEvents, pages, audit, domains] = await Promise.all([
		listUpcomingEvents(site.id, now, 5),
		listEventsForAdmin(site.id, 'drafts', now),
		listPages(site.id),
		listSiteAudit(site.id, 12),
		can(locals, 'site.domains') ? listDomains(site.id) : Promise.resolve([])
	]);
	return {
		upcoming: upcoming.map((e) => ({ id: e.id, title: e.title, startsAt: e.startsAt.toISOString(), status: e.status })),
		drafts: [
			...draftEvents.map((e) => ({ kind: 'event' as const, id: e.id, title: e.title, updatedAt: e.updatedAt.toISOString() })),
			...pages
				.filter((p) => !p.published)
				.map((p) => ({ kind: 'page' as const, id: p.id, title: p.title, updatedAt: p.updatedAt.toISOString() }))
		].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
		audit: audit.map((a) => ({
			id: a.id,
			at: a.at.toISOString(),
			actor: a.actorName,
			action: a.action,
			target: a.target,
			detail: a.detail
		})),
		domains: domains.map((d) => ({
			hostname: d.hostname,
			verified: Boolean(d.verifiedAt),
			primary: d.isPrimary,
			// The re-check found it no longer points here: shown to everyone who manages domains,
			// whether or not an alert could be mailed to them.
			misconfigured: Boolean(d.misconfiguredAt)
		})),
		primaryHost: site.primaryHost,
		canEditContent: can(locals, 'content.edit'),
		canDomains: can(locals, 'site.domains'),
		inviteRoles: can(locals, 'members.invite') ? assignableRoles(locals) : []
	};
};

export const actions: Actions = {
	/** Quick invite: a one-time link for the chosen role (the Members screen has every option). */
	invite: (event) =>
		formAction(event, 'invite', async ({ input }) => {
			const { token } = await createInvite(siteActor(event.locals), { role: input.role });
			return { inviteUrl: canonicalUrl(event.locals.site!.primaryHost, `/invite/${token}`, event) };
		})
};
