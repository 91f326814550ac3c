/**
 * One site in the super-admin panel: status (suspend/resume), domains (through the same service
 * as the site's Domains screen, with the super admin's options: attach verified — the super admin
 * vouches for the DNS — and mark verified), and deletion after typing the slug. Its content is
 * edited through the site admin on the hub: /sites/<slug>/admin.
 */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { deleteSite, hubSiteActor, setSiteStatus } from '$lib/server/services/sites';
import { addSiteDomain, listSiteDomains, makePrimaryDomain, removeSiteDomain, verifySiteDomain } from '$lib/server/services/domains';
import { membersPage } from '$lib/server/services/members';
import { formAction, pageData } from '$lib/server/forms';
import { env } from '$lib/server/env';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		requireSuperAdmin(event);
		const actor = await hubSiteActor(event.locals, event.params.slug);
		const [domains, people] = await Promise.all([listSiteDomains(actor), membersPage(actor)]);
		const site = actor.site;
		return {
			site: { id: site.id, slug: site.slug, name: site.name, status: site.status },
			domains,
			members: people.members.map((m) => ({ name: m.name, role: m.role })),
			subdomain: `${site.slug}.${env().PLATFORM_DOMAIN}`
		};
	});

const back = (event: RequestEvent, done: string): never => redirect(303, `/admin/sites/${event.params.slug}?done=${done}`);

/** Every action: the super admin (404 for anyone else), then the site named by the URL. */
async function onSite(event: RequestEvent) {
	requireSuperAdmin(event);
	return hubSiteActor(event.locals, event.params.slug);
}

export const actions: Actions = {
	suspend: (event) =>
		formAction(event, undefined, async () => {
			const actor = await onSite(event);
			await setSiteStatus(requireSuperAdmin(event), actor.site.id, 'suspended');
			back(event, 'suspended');
		}),
	resume: (event) =>
		formAction(event, undefined, async () => {
			const actor = await onSite(event);
			await setSiteStatus(requireSuperAdmin(event), actor.site.id, 'active');
			back(event, 'resumed');
		}),
	delete: (event) =>
		formAction(event, 'delete', async ({ input }) => {
			const actor = await onSite(event);
			await deleteSite(requireSuperAdmin(event), actor.site, input);
			redirect(303, `/admin?deleted=${encodeURIComponent(actor.site.slug)}`);
		}),
	addDomain: (event) =>
		formAction(event, 'domain', async ({ input }) => {
			await addSiteDomain(await onSite(event), input, { attachVerified: true });
			back(event, 'domain');
		}),
	verifyDomain: (event) =>
		formAction(event, 'domain', async ({ input }) => {
			await verifySiteDomain(await onSite(event), input, { vouch: true });
			back(event, 'domain');
		}),
	primaryDomain: (event) =>
		formAction(event, 'domain', async ({ input }) => {
			await makePrimaryDomain(await onSite(event), input);
			back(event, 'domain');
		}),
	removeDomain: (event) =>
		formAction(event, 'domain', async ({ input }) => {
			await removeSiteDomain(await onSite(event), { ...input, confirm: 'yes' });
			back(event, 'domain');
		})
};
