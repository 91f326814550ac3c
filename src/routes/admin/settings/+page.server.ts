/**
 * Site settings (admins and up): name, tagline, description, timezone, contact email; and the
 * slug, which is also the site's `<slug>.<PLATFORM_DOMAIN>` address.
 *
 * A changed slug redirects from the old subdomain (301, path kept) for SLUG_REDIRECT_DAYS, until
 * another collective takes the old name, which frees it at once (content/sites.ts changeSiteSlug).
 * Custom domains are unaffected, and the form says so before anyone changes it.
 */
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { can, requirePermission } from '$lib/server/auth/permissions';
import { fields, invalid, parseForm } from '$lib/server/forms';
import { changeSiteSlug, getSiteBySlug, SLUG_REDIRECT_DAYS, updateSiteSettings } from '$lib/server/queries/sites';
import { siteWrite } from '$lib/server/queries/write';
import { actorOf, adminPath } from '$lib/server/admin/context';
import { isReservedSlug } from '$lib/server/hosts/reserved';
import { env } from '$lib/server/env';
import { isUniqueViolation } from '$lib/server/errors';
import { isValidTimeZone, timeZones } from '$lib/time';
import { publicOrigin } from '$lib/server/urls';

const settingsSchema = z.object({
	name: fields.required(120, 'Name'),
	tagline: fields.text(200, 'Tagline'),
	description: fields.text(1000, 'Description'),
	timezone: z.string().trim().refine(isValidTimeZone, 'Choose a timezone from the list, e.g. Europe/Berlin'),
	contactEmail: z
		.union([z.literal(''), z.string().trim().max(254, 'Email is too long').email('Enter an email address like hello@example.org')])
		.transform((v) => v || null)
});

const slugSchema = z.object({ slug: fields.slug('Address') });

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'site.settings');
	const site = locals.site!;
	return {
		values: {
			name: site.name,
			tagline: site.tagline,
			description: site.description,
			timezone: site.timezone,
			contactEmail: site.contactEmail ?? ''
		},
		slug: site.slug,
		platformDomain: env().PLATFORM_DOMAIN,
		canChangeSlug: can(locals, 'site.slug'),
		redirectDays: SLUG_REDIRECT_DAYS,
		timezones: timeZones()
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'site.settings');
		const form = await request.formData();
		const parsed = parseForm(settingsSchema, form, 'settings');
		if (!parsed.ok) return parsed.failure;
		const site = locals.site!;
		await siteWrite(
			site.id,
			actorOf(locals),
			{ action: 'settings.update', targetType: 'site', targetId: site.id, target: parsed.data.name },
			(tx) => updateSiteSettings(site.id, parsed.data, tx)
		);
		redirect(303, adminPath(event, '/settings?saved=1'));
	},

	slug: async (event) => {
		const { locals, request } = event;
		requirePermission(locals, 'site.slug');
		const form = await request.formData();
		const parsed = parseForm(slugSchema, form, 'slug');
		if (!parsed.ok) return parsed.failure;
		const site = locals.site!;
		const slug = parsed.data.slug;
		if (slug === site.slug) redirect(303, adminPath(event, '/settings'));
		if (isReservedSlug(slug)) return invalid(form, { slug: `“${slug}” is reserved by the platform; choose another` }, 'slug');
		if (await getSiteBySlug(slug)) return invalid(form, { slug: 'That address is taken; choose another' }, 'slug');
		const platform = env().PLATFORM_DOMAIN;
		const onOldSubdomain = locals.host === `${site.slug}.${platform}`;
		const changed = await siteWrite(
			site.id,
			actorOf(locals),
			{ action: 'settings.slug', targetType: 'site', targetId: site.id, target: `${site.slug} → ${slug}` },
			(tx) => changeSiteSlug(site.id, slug, tx)
		).catch((error: unknown) => {
			// Two people taking the same name at once: the unique index decides.
			if (isUniqueViolation(error)) return null;
			throw error;
		});
		if (!changed) return invalid(form, { slug: 'That address is taken; choose another' }, 'slug');
		// Working on the old subdomain, which no longer exists: continue on the new one (sign in again
		// there, since sessions belong to one host). On the hub the admin URL names the new slug.
		if (onOldSubdomain) redirect(303, `${publicOrigin(`${slug}.${platform}`, event)}/admin/settings?slugChanged=1`);
		redirect(303, locals.isHub ? `/sites/${slug}/admin/settings?slugChanged=1` : adminPath(event, '/settings?slugChanged=1'));
	}
};
