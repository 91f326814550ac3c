/**
 * One site in the super-admin panel: status (suspend/resume), domains (attach already verified —
 * the super admin vouches for DNS — verify, make primary, detach), and deletion after typing the
 * slug. Its content is edited through the site admin on the hub: /sites/<slug>/admin.
 */
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { deleteSiteAsSuperAdmin, setStatusAsSuperAdmin } from '$lib/server/hub/sites';
import {
	addDomain,
	getSiteBySlug,
	listDomains,
	markDomainVerified,
	removeDomain,
	setPrimaryDomain,
	type DomainRow
} from '$lib/server/queries/sites';
import { isUuid } from '$lib/server/queries/assets';
import { listMembers } from '$lib/server/queries/members';
import { siteWrite } from '$lib/server/queries/write';
import { invalid, parseForm } from '$lib/server/forms';
import { hostnameField } from '$lib/server/hosts/domain-input';
import { env } from '$lib/server/env';
import { isUniqueViolation } from '$lib/server/errors';

async function siteOr404(event: RequestEvent) {
	const row = await getSiteBySlug(event.params.slug);
	if (!row) error(404, 'Not found');
	return row;
}

export const load: PageServerLoad = async (event) => {
	requireSuperAdmin(event);
	const site = await siteOr404(event);
	const [domains, members] = await Promise.all([listDomains(site.id), listMembers(site.id)]);
	return {
		site: { id: site.id, slug: site.slug, name: site.name, status: site.status, createdAt: site.createdAt.toISOString() },
		domains: domains.map((d) => ({ id: d.id, hostname: d.hostname, verified: Boolean(d.verifiedAt), primary: d.isPrimary })),
		members: members.map((m) => ({ name: m.name, role: m.role })),
		subdomain: `${site.slug}.${env().PLATFORM_DOMAIN}`
	};
};

const back = (event: RequestEvent, done: string): never => redirect(303, `/admin/sites/${event.params.slug}?done=${done}`);

async function domainChange(
	event: RequestEvent,
	action: string,
	change: (siteId: string, id: string, tx: Parameters<Parameters<typeof siteWrite>[3]>[0]) => Promise<DomainRow | undefined>
) {
	const actor = requireSuperAdmin(event);
	const site = await siteOr404(event);
	const id = String((await event.request.formData()).get('id') ?? '');
	if (!isUuid(id)) error(404, 'Not found');
	const row = await siteWrite(
		site.id,
		actor,
		(r: DomainRow | undefined) => (r ? { action, targetType: 'domain', targetId: id, target: r.hostname } : null),
		(tx) => change(site.id, id, tx)
	);
	if (!row) error(404, 'Not found');
}

export const actions: Actions = {
	suspend: async (event) => {
		const actor = requireSuperAdmin(event);
		await setStatusAsSuperAdmin((await siteOr404(event)).id, 'suspended', actor);
		back(event, 'suspended');
	},
	resume: async (event) => {
		const actor = requireSuperAdmin(event);
		await setStatusAsSuperAdmin((await siteOr404(event)).id, 'active', actor);
		back(event, 'resumed');
	},
	delete: async (event) => {
		const actor = requireSuperAdmin(event);
		const site = await siteOr404(event);
		const form = await event.request.formData();
		if (String(form.get('confirmSlug') ?? '').trim() !== site.slug) {
			return fail(400, { form: 'delete', errors: { confirmSlug: `Type ${site.slug} to confirm` }, values: {}, message: undefined });
		}
		await deleteSiteAsSuperAdmin(site.id, actor);
		redirect(303, `/admin?deleted=${encodeURIComponent(site.slug)}`);
	},
	addDomain: async (event) => {
		const actor = requireSuperAdmin(event);
		const site = await siteOr404(event);
		const form = await event.request.formData();
		const parsed = parseForm(hostnameField, form, 'domain');
		if (!parsed.ok) return parsed.failure;
		try {
			await siteWrite(site.id, actor, { action: 'domain.add', targetType: 'domain', target: parsed.data.hostname }, (tx) =>
				addDomain(site.id, parsed.data.hostname, { verified: true }, tx)
			);
		} catch (e) {
			if (isUniqueViolation(e)) return invalid(form, { hostname: 'This domain is already in use on the platform' }, 'domain');
			throw e;
		}
		back(event, 'domain');
	},
	verifyDomain: async (event) => {
		await domainChange(event, 'domain.verify', (siteId, id, tx) => markDomainVerified(siteId, id, tx));
		back(event, 'domain');
	},
	primaryDomain: async (event) => {
		await domainChange(event, 'domain.primary', (siteId, id, tx) => setPrimaryDomain(siteId, id, tx));
		back(event, 'domain');
	},
	removeDomain: async (event) => {
		await domainChange(event, 'domain.remove', (siteId, id, tx) => removeDomain(siteId, id, tx));
		back(event, 'domain');
	}
};
