/** Edit a recurring series: its template and rule, its next dates, deleting it (all dates, or those to come). */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formValues, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deleteSeries, previewRepeats, saveSeries, seriesForEditor, seriesFormValues, seriesRuleText } from '$lib/server/services/series';
import { previewMarkdown } from '$lib/server/services/preview';
import { eventEditorChoices } from '$lib/server/services/places';
import { isIsoDate } from '$lib/server/services/recurrence';
import { editorImage } from '$lib/server/services/event-form';
import { adminPath } from '$lib/server/admin-path';
import { canonicalUrl } from '$lib/server/urls';
import { dateBadge } from '$lib/event-time';
import { intlLocale } from '$lib/i18n';
import { getLocale } from '$lib/paraglide/runtime';

export const load: PageServerLoad = (event) =>
	pageData(async () => {
		const actor = siteActor(event.locals);
		const { series, occurrences, image, tagIds } = await seriesForEditor(actor, event.params.id);
		const zone = actor.site.timezone;
		const now = new Date();
		const upcoming = occurrences.filter((o) => (o.endsAt ?? o.startsAt) >= now).sort((a, b) => +a.startsAt - +b.startsAt);
		// ?from=<date> (the "this and following" link of one date) preselects that date.
		const from = event.url.searchParams.get('from');
		const applyFrom = isIsoDate(from) && from > series.firstDate ? from : '';
		return {
			timezone: zone,
			choices: await eventEditorChoices(actor),
			applyDates: upcoming
				.filter((o) => o.occurrenceDate && o.occurrenceDate > series.firstDate)
				.slice(0, 60)
				.map((o) => ({
					date: o.occurrenceDate!,
					// In the person's language (the badge alone would speak the site's).
					label: (({ weekday, day, month, year }) => `${weekday} ${day} ${month} ${year}`)(
						dateBadge(o.startsAt, zone, intlLocale(getLocale(), zone))
					)
				})),
			series: {
				id: series.id,
				status: series.status,
				rule: seriesRuleText(series),
				values: { ...seriesFormValues(series), tagIds, applyFrom, imageAlt: image?.altText ?? '' },
				descriptionHtml: await previewMarkdown(actor, series.description),
				publicUrl: canonicalUrl(actor.site.primaryHost, `/events/${series.slug}`, event),
				image: editorImage(image),
				pastCount: occurrences.length - upcoming.length,
				upcoming: upcoming.slice(0, 24).map((o) => ({
					id: o.id,
					date: o.occurrenceDate,
					startsAt: o.startsAt.toISOString(),
					allDay: o.allDay,
					badge: dateBadge(o.startsAt, zone),
					status: o.status,
					changed: o.detached,
					title: o.title
				})),
				upcomingCount: upcoming.length
			}
		};
	});

export const actions: Actions = {
	save: (event) =>
		formAction(event, undefined, async ({ input }) => {
			const saved = await saveSeries(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, `/events/series/${saved.id}?saved=1`));
		}),
	preview: (event) =>
		formAction(event, undefined, async ({ form, input }) => {
			const actor = siteActor(event.locals);
			await seriesForEditor(actor, event.params.id);
			return {
				preview: await previewMarkdown(actor, input.description, 20_000),
				repeats: previewRepeats(actor, input),
				values: formValues(form)
			};
		}),
	delete: (event) =>
		formAction(event, 'delete', async ({ input }) => {
			await deleteSeries(siteActor(event.locals), event.params.id, input);
			redirect(303, adminPath(event, '/events?deleted=1'));
		})
};
