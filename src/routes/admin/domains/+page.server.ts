/**
 * Custom domains (admins and up): add one (pending until verified), see the DNS records to
 * create, verify it (HTTP check of a token this app serves, see sites/domain-verifier.ts), make a
 * verified one primary (the others then 301 to it), remove one. A domain used by another site
 * gets the same answer as any taken domain, without saying which site has it.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { invalid, parseForm } from '$lib/server/forms';
import {
	addDomain,
	getDomain,
	listDomains,
	markDomainVerified,
	removeDomain,
	setPrimaryDomain,
	type DomainRow
} from '$lib/server/queries/sites';
import { isUuid } from '$lib/server/queries/assets';
import { siteWrite } from '$lib/server/queries/write';
import { actorOf, adminPath } from '$lib/server/admin/context';
import { domainVerifier } from '$lib/server/hosts/domain-verifier';
import { env } from '$lib/server/env';
import { isUniqueViolation } from '$lib/server/errors';
import { hostnameField } from '$lib/server/hosts/domain-input';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'site.domains');
	const e = env();
	const domains = await listDomains(locals.site!.id);
	return {
		domains: domains.map((d) => ({
			id: d.id,
			hostname: d.hostname,
			verified: Boolean(d.verifiedAt),
			primary: d.isPrimary,
			// A bare domain (example.org) cannot hold a CNAME: it needs A/AAAA (or the DNS host's ALIAS).
			apex: d.hostname.split('.').length <= 2,
			token: d.verifiedAt ? null : d.verificationToken
		})),
		platformDomain: e.PLATFORM_DOMAIN,
		subdomain: `${locals.site!.slug}.${e.PLATFORM_DOMAIN}`,
		ipv4: e.PUBLIC_IPV4 ?? null,
		ipv6: e.PUBLIC_IPV6 ?? null
	};
};

const idSchema = z.object({ id: z.string().trim() });
const removeSchema = z.object({ id: z.string().trim(), confirm: z.literal('yes', { message: 'Tick the box to confirm the removal' }) });

/**
 * The site's domain named by the form, or 404 when the id is malformed or not this site's
 * (another site's domain looks like none at all).
 */
async function ownDomain(event: RequestEvent, id: string): Promise<DomainRow> {
	if (!isUuid(id)) error(404, 'Not found');
	const domain = await getDomain(event.locals.site!.id, id);
	if (!domain) error(404, 'Not found');
	return domain;
}

const done = (event: RequestEvent, what: string): never => redirect(303, adminPath(event, `/domains?done=${what}`));

async function write(event: RequestEvent, action: string, change: Parameters<typeof siteWrite<DomainRow | undefined>>[3]) {
	const site = event.locals.site!;
	const row = await siteWrite(
		site.id,
		actorOf(event.locals),
		(r: DomainRow | undefined) => (r ? { action, targetType: 'domain', targetId: r.id, target: r.hostname } : null),
		change
	);
	if (!row) error(404, 'Not found');
	return row;
}

export const actions: Actions = {
	add: async (event) => {
		requirePermission(event.locals, 'site.domains');
		const form = await event.request.formData();
		const parsed = parseForm(hostnameField, form, 'add');
		if (!parsed.ok) return parsed.failure;
		const own = await listDomains(event.locals.site!.id);
		if (own.some((d) => d.hostname === parsed.data.hostname))
			return invalid(form, { hostname: 'This site already has this domain' }, 'add');
		try {
			await write(event, 'domain.add', (tx) => addDomain(event.locals.site!.id, parsed.data.hostname, {}, tx));
		} catch (e) {
			if (isUniqueViolation(e)) return invalid(form, { hostname: 'This domain is already in use on the platform' }, 'add');
			throw e;
		}
		done(event, 'added');
	},
	verify: async (event) => {
		requirePermission(event.locals, 'site.domains');
		const form = await event.request.formData();
		const parsed = parseForm(idSchema, form, 'verify');
		if (!parsed.ok) return parsed.failure;
		const domain = await ownDomain(event, parsed.data.id);
		if (domain.verifiedAt) done(event, 'verified');
		// Outside any transaction: the check may take seconds and holds no lock meanwhile.
		const result = await domainVerifier().check(domain.hostname, domain.verificationToken);
		if (!result.ok) {
			return fail(422, {
				form: `domain-${domain.id}`,
				message: `Not verified yet: ${result.reason}. DNS changes can take a while; try again later.`,
				errors: {},
				values: {}
			});
		}
		await write(event, 'domain.verify', (tx) => markDomainVerified(event.locals.site!.id, domain.id, tx));
		done(event, 'verified');
	},
	primary: async (event) => {
		requirePermission(event.locals, 'site.domains');
		const form = await event.request.formData();
		const parsed = parseForm(idSchema, form, 'primary');
		if (!parsed.ok) return parsed.failure;
		const domain = await ownDomain(event, parsed.data.id);
		if (!domain.verifiedAt)
			return fail(409, {
				form: `domain-${domain.id}`,
				message: 'Verify this domain before making it the main address.',
				errors: {},
				values: {}
			});
		await write(event, 'domain.primary', (tx) => setPrimaryDomain(event.locals.site!.id, domain.id, tx));
		done(event, 'primary');
	},
	remove: async (event) => {
		requirePermission(event.locals, 'site.domains');
		const form = await event.request.formData();
		const id = String(form.get('id') ?? '');
		const parsed = parseForm(removeSchema, form, `remove-${id}`);
		if (!parsed.ok) return parsed.failure;
		const domain = await ownDomain(event, parsed.data.id);
		await write(event, 'domain.remove', (tx) => removeDomain(event.locals.site!.id, domain.id, tx));
		done(event, 'removed');
	}
};
