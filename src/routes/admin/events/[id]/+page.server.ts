/** Edit one event; preview its description, cancel or restore, duplicate or delete it. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formValues, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deleteEvent, duplicateEvent, eventForEditor, saveEvent, setEventCancelled } from '$lib/server/services/events';
import { editorImage, eventFormValues } from '$lib/server/services/event-form';
import { seriesRuleText } from '$lib/server/services/series';
import { previewMarkdown } from '$lib/server/services/preview';
import { eventEditorChoices } from '$lib/server/services/places';
import { adminPath } from '$lib/server/admin-path';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const actor = siteActor(event.locals);
		const { row, image, series, tagIds } = await eventForEditor(actor, event.params.id);
		return {
			timezone: actor.site.timezone,
			choices: await eventEditorChoices(actor),
			event: {
				id: row.id,
				status: row.status,
				values: { ...eventFormValues(row, actor.site.timezone), tagIds, imageAlt: image?.altText ?? '' },
				descriptionHtml: await previewMarkdown(actor, row.description),
				publicUrl: canonicalUrl(actor.site.primaryHost, `/events/${row.slug}`, event),
				image: editorImage(image),
				occurrenceOf: series
					? {
							title: series.title,
							href: adminPath(event, `/events/series/${series.id}`),
							rule: seriesRuleText(series),
							address: `/events/${row.slug}`,
							following: adminPath(event, `/events/series/${series.id}?from=${row.occurrenceDate}#applyFrom`)
						}
					: null
			}
		};
	});

export const actions: Actions = {
	save: (event) =>
		formAction(event, undefined, async ({ input }) => {
			const saved = await saveEvent(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, `/events/${saved.id}?saved=1`));
		}),
	preview: (event) =>
		formAction(event, undefined, async ({ form, input }) => {
			const actor = siteActor(event.locals);
			await eventForEditor(actor, event.params.id);
			return { preview: await previewMarkdown(actor, input.description, 20_000), values: formValues(form) };
		}),
	cancel: (event) =>
		formAction(event, undefined, async () => {
			await setEventCancelled(siteActor(event.locals), event.params.id, true);
			redirect(303, adminPath(event, `/events/${event.params.id}?cancelled=1`));
		}),
	restore: (event) =>
		formAction(event, undefined, async () => {
			await setEventCancelled(siteActor(event.locals), event.params.id, false);
			redirect(303, adminPath(event, `/events/${event.params.id}?restored=1`));
		}),
	duplicate: (event) =>
		formAction(event, undefined, async () => {
			const copy = await duplicateEvent(siteActor(event.locals), { id: event.params.id });
			redirect(303, adminPath(event, `/events/${copy.id}?copied=1`));
		}),
	delete: (event) =>
		formAction(event, 'delete', async ({ input }) => {
			await deleteEvent(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, '/events?deleted=1'));
		})
};
