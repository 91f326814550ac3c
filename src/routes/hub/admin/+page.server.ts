/**
 * The super-admin panel (hub /admin): every site, searchable and paged — the whole page is ONE
 * query — and creating a site. The platform's activity feed is its own page (/admin/activity).
 */
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { createSiteAsSuperAdmin, searchSites, SITES_PER_PAGE } from '$lib/server/hub/sites';
import { getSiteBySlug } from '$lib/server/queries/sites';
import { fields, invalid, parseForm } from '$lib/server/forms';
import { discordIdSchema } from '$lib/server/auth/membership';
import { isReservedSlug } from '$lib/server/hosts/reserved';
import { isValidTimeZone } from '$lib/time';
import { parseHost } from '$lib/server/hosts/parse-host';
import { env } from '$lib/server/env';
import { isUniqueViolation } from '$lib/server/errors';

export const load: PageServerLoad = async (event) => {
	requireSuperAdmin(event);
	const q = event.url.searchParams.get('q') ?? '';
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	const list = await searchSites(q, page);
	return {
		q,
		page,
		pages: Math.max(1, Math.ceil(list.total / SITES_PER_PAGE)),
		total: list.total,
		sites: list.rows.map((s) => ({ ...s, lastChange: s.lastChange?.toISOString() ?? null })),
		suspended: list.suspended,
		platformDomain: env().PLATFORM_DOMAIN
	};
};

const createSchema = z.object({
	name: fields.required(120, 'Name'),
	slug: fields.slug('Address'),
	timezone: z.string().trim().refine(isValidTimeZone, 'Choose a timezone such as Europe/Berlin'),
	ownerDiscordId: z
		.union([z.literal(''), discordIdSchema])
		.optional()
		.transform((v) => v || undefined),
	domain: z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (!v) return undefined;
			const host = parseHost(v);
			if (!host || !host.includes('.')) {
				ctx.addIssue({ code: 'custom', message: 'Enter a domain like films.example.org' });
				return z.NEVER;
			}
			return host;
		})
});

export const actions: Actions = {
	create: async (event) => {
		const actor = requireSuperAdmin(event);
		const form = await event.request.formData();
		const parsed = parseForm(createSchema, form, 'create');
		if (!parsed.ok) return parsed.failure;
		const input = parsed.data;
		if (isReservedSlug(input.slug)) return invalid(form, { slug: `“${input.slug}” is reserved by the platform` }, 'create');
		if (await getSiteBySlug(input.slug)) return invalid(form, { slug: 'That address is taken' }, 'create');
		try {
			await createSiteAsSuperAdmin(input, actor);
		} catch (e) {
			if (isUniqueViolation(e)) return invalid(form, { domain: 'That address or domain is already in use' }, 'create');
			throw e;
		}
		redirect(303, `/admin/sites/${input.slug}?created=1`);
	}
};
