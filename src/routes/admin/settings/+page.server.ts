/**
 * Site settings (admins and up): name, tagline, description, timezone (and what happens to the
 * events' times), contact email; and the slug, which is also the `<slug>.<PLATFORM_DOMAIN>`
 * address. A changed slug redirects from the old subdomain for SLUG_REDIRECT_DAYS (services/settings.ts).
 */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { can, requirePermission } from '$lib/server/auth/permissions';
import { formAction } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { changeSlug, SLUG_REDIRECT_DAYS, updateSettings } from '$lib/server/services/settings';
import { adminPath } from '$lib/server/admin-path';
import { env } from '$lib/server/env';
import { timeZones } from '$lib/time';
import { publicOrigin } from '$lib/server/urls';
import { LOCALE_NAMES } from '$lib/i18n';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'site.settings');
	const site = locals.site!;
	return {
		values: {
			name: site.name,
			tagline: site.tagline,
			description: site.description,
			timezone: site.timezone,
			locale: site.locale,
			contactEmail: site.contactEmail ?? '',
			hubListed: site.hubListed ? 'on' : '',
			hubCity: site.hubCity
		},
		languages: Object.entries(LOCALE_NAMES).map(([value, name]) => ({ value, name })),
		slug: site.slug,
		platformDomain: env().PLATFORM_DOMAIN,
		canChangeSlug: can(locals, 'site.slug'),
		redirectDays: SLUG_REDIRECT_DAYS,
		timezones: timeZones()
	};
};

export const actions: Actions = {
	save: (event) =>
		formAction(event, 'settings', async ({ input }) => {
			await updateSettings(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/settings?saved=1'));
		}),
	slug: (event) =>
		formAction(event, 'slug', async ({ input }) => {
			const { locals } = event;
			const site = locals.site!;
			const { slug, changed } = await changeSlug(siteActor(locals), input);
			if (!changed) redirect(303, adminPath(event, '/settings'));
			// Working on the old subdomain, which no longer exists: continue on the new one (sign in
			// again there, since sessions belong to one host). On the hub the admin URL names the new slug.
			const platform = env().PLATFORM_DOMAIN;
			if (locals.host === `${site.slug}.${platform}`)
				redirect(303, `${publicOrigin(`${slug}.${platform}`, event)}/admin/settings?slugChanged=1`);
			redirect(303, locals.isHub ? `/sites/${slug}/admin/settings?slugChanged=1` : adminPath(event, '/settings?slugChanged=1'));
		})
};
