/**
 * Custom domains (admins and up): add one (pending until verified), see the DNS records to
 * create, verify it, make a verified one primary (the others then 301 to it), remove one.
 * The rules live in services/domains.ts.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { addSiteDomain, listSiteDomains, makePrimaryDomain, removeSiteDomain, verifySiteDomain } from '$lib/server/services/domains';
import { adminPath } from '$lib/server/admin-path';
import { env } from '$lib/server/env';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => ({
		domains: await listSiteDomains(siteActor(locals)),
		subdomain: `${locals.site!.slug}.${env().PLATFORM_DOMAIN}`
	}));

const done = (event: RequestEvent, what: string): never => redirect(303, adminPath(event, `/domains?done=${what}`));

export const actions: Actions = {
	add: (event) =>
		formAction(event, 'add', async ({ input }) => {
			await addSiteDomain(siteActor(event.locals), input);
			done(event, 'added');
		}),
	verify: (event) =>
		formAction(event, rowForm('domain'), async ({ input }) => {
			await verifySiteDomain(siteActor(event.locals), input);
			done(event, 'verified');
		}),
	primary: (event) =>
		formAction(event, rowForm('domain'), async ({ input }) => {
			await makePrimaryDomain(siteActor(event.locals), input);
			done(event, 'primary');
		}),
	remove: (event) =>
		formAction(event, rowForm('remove'), async ({ input }) => {
			await removeSiteDomain(siteActor(event.locals), input);
			done(event, 'removed');
		})
};
