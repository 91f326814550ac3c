/** Places (editors and up): the site's reusable venues, and adding one (services/places.ts). */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { placesOfSite, savePlace } from '$lib/server/services/places';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const places = await placesOfSite(siteActor(locals));
		return { places: places.map((p) => ({ id: p.id, name: p.name, slug: p.slug, address: p.address })) };
	});

export const actions: Actions = {
	add: (event) =>
		formAction(event, 'add', async ({ input }) => {
			const row = await savePlace(siteActor(event.locals), null, input);
			redirect(303, adminPath(event, `/events/places/${row.id}?saved=1`));
		})
};
