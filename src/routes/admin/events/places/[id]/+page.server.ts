/** Edit or delete one place; events held there take its new name and address. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deletePlace, placeForEditor, savePlace } from '$lib/server/services/places';
import { adminPath } from '$lib/server/admin-path';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const actor = siteActor(event.locals);
		const p = await placeForEditor(actor, event.params.id);
		return {
			place: {
				id: p.id,
				name: p.name,
				publicUrl: canonicalUrl(actor.site.primaryHost, `/places/${p.slug}`, event),
				values: {
					name: p.name,
					slug: p.slug,
					address: p.address,
					latitude: p.latitude === null ? '' : String(p.latitude),
					longitude: p.longitude === null ? '' : String(p.longitude),
					accessibility: p.accessibility,
					url: p.url ?? ''
				}
			}
		};
	});

export const actions: Actions = {
	save: (event) =>
		formAction(event, 'save', async ({ input }) => {
			const row = await savePlace(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, `/events/places/${row.id}?saved=1`));
		}),
	delete: (event) =>
		formAction(event, 'delete', async ({ input }) => {
			await deletePlace(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, '/events/places?deleted=1'));
		})
};
