/** Links (admins and up): navigation and social links (services/links.ts). */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { addLink, deleteLink, linksOfSite, moveLink, updateLink } from '$lib/server/services/links';
import { adminPath } from '$lib/server/admin-path';
import { SOCIAL_PLATFORMS } from '$lib/social';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const { nav, social } = await linksOfSite(siteActor(locals));
		return {
			nav: nav.map((l) => ({ id: l.id, label: l.label, url: l.url })),
			social: social.map((l) => ({ id: l.id, platform: l.platform, url: l.url })),
			platforms: Object.entries(SOCIAL_PLATFORMS).map(([key, p]) => ({ key, label: p.label, icon: p.icon }))
		};
	});

function done(event: RequestEvent, what: string, focus?: string): never {
	redirect(303, adminPath(event, `/links?saved=${what}${focus ? `#${focus}` : ''}`));
}

export const actions: Actions = {
	addNav: (event) =>
		formAction(event, 'addNav', async ({ input }) => {
			await addLink(siteActor(event.locals), 'nav', input);
			done(event, 'added', 'add-nav');
		}),
	addSocial: (event) =>
		formAction(event, 'addSocial', async ({ input }) => {
			await addLink(siteActor(event.locals), 'social', input);
			done(event, 'added', 'add-social');
		}),
	updateNav: (event) =>
		formAction(event, rowForm('nav'), async ({ input }) => {
			const id = await updateLink(siteActor(event.locals), 'nav', input);
			done(event, 'saved', `nav-${id}`);
		}),
	updateSocial: (event) =>
		formAction(event, rowForm('social'), async ({ input }) => {
			const id = await updateLink(siteActor(event.locals), 'social', input);
			done(event, 'saved', `social-${id}`);
		}),
	delete: (event) =>
		formAction(event, rowForm('delete'), async ({ input }) => {
			await deleteLink(siteActor(event.locals), input);
			done(event, 'deleted');
		}),
	move: (event) =>
		formAction(event, undefined, async ({ input }) => {
			const { kind, id } = await moveLink(siteActor(event.locals), input);
			done(event, 'saved', `${kind}-${id}`);
		})
};
