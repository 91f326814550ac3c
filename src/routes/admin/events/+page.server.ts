/** Events manager: the list with filters, and duplicating an event from it. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { duplicateEvent, eventsForAdmin } from '$lib/server/services/events';
import { seriesRuleText } from '$lib/server/services/series';
import { adminPath } from '$lib/server/admin-path';
import type { AdminEventFilter } from '$lib/server/queries/events';
import { dateBadge, yearIn } from '$lib/event-time';

const FILTERS = ['upcoming', 'past', 'drafts', 'all'] as const satisfies readonly AdminEventFilter[];

export const load: PageServerLoad = ({ locals, url }) =>
	pageData(async () => {
		const actor = siteActor(locals);
		const requested = url.searchParams.get('show');
		const filter: AdminEventFilter = FILTERS.find((f) => f === requested) ?? 'upcoming';
		const now = new Date();
		const narrow = { tag: url.searchParams.get('tag') ?? undefined, place: url.searchParams.get('place') ?? undefined };
		const { events, counts, series, tags, places, tagId, placeId } = await eventsForAdmin(actor, filter, now, narrow);
		const zone = actor.site.timezone;
		const thisYear = yearIn(now, zone);
		return {
			filter,
			counts,
			tags: tags.map((t) => ({ id: t.id, name: t.name })),
			places: places.map((p) => ({ id: p.id, name: p.name })),
			tagId,
			placeId,
			series: series.map((s) => ({
				id: s.series.id,
				title: s.series.title,
				status: s.series.status,
				rule: seriesRuleText(s.series),
				upcomingCount: s.upcomingCount,
				next: s.upcoming.map((o) => ({ id: o.id, startsAt: o.startsAt.toISOString(), allDay: o.allDay, status: o.status }))
			})),
			events: events.map((e) => ({
				id: e.id,
				title: e.title,
				slug: e.slug,
				status: e.status,
				scheduled: e.status === 'draft' && e.publishAt !== null,
				allDay: e.allDay,
				startsAt: e.startsAt.toISOString(),
				badge: dateBadge(e.startsAt, zone),
				otherYear: yearIn(e.startsAt, zone) !== thisYear,
				venueName: e.venueName
			}))
		};
	});

export const actions: Actions = {
	duplicate: (event) =>
		formAction(event, undefined, async ({ input }) => {
			const copy = await duplicateEvent(siteActor(event.locals), input);
			redirect(303, adminPath(event, `/events/${copy.id}?copied=1`));
		})
};
