/** A new event: an empty editor, saved as a draft or published by the button pressed; with Repeats, a series. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { formAction, formValues } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { saveEvent } from '$lib/server/services/events';
import { previewRepeats, repeatsRequested, saveSeries } from '$lib/server/services/series';
import { previewMarkdown } from '$lib/server/services/preview';
import { eventEditorChoices } from '$lib/server/services/places';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = async ({ locals }) => {
	requirePermission(locals, 'content.edit');
	return { event: null, timezone: locals.site!.timezone, choices: await eventEditorChoices(siteActor(locals)) };
};

export const actions: Actions = {
	save: (event) =>
		formAction(event, undefined, async ({ input }) => {
			if (repeatsRequested(input)) {
				const series = await saveSeries(siteActor(event.locals), null, input);
				redirect(303, adminPath(event, `/events/series/${series.id}?saved=1`));
			}
			const saved = await saveEvent(siteActor(event.locals), null, input);
			redirect(303, adminPath(event, `/events/${saved.id}?saved=1`));
		}),
	/** The description as visitors will see it, and a repeating event's rule and next dates; nothing is saved. */
	preview: (event) =>
		formAction(event, undefined, async ({ form, input }) => ({
			preview: await previewMarkdown(siteActor(event.locals), input.description, 20_000),
			repeats: previewRepeats(siteActor(event.locals), input),
			values: formValues(form)
		}))
};
