/** Events manager: the list with filters, and duplicating an event from it. */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { countEventsForAdmin, listEventsForAdmin, type AdminEventFilter } from '$lib/server/queries/events';
import { duplicateEvent } from '$lib/server/admin/event-actions';
import { adminPath } from '$lib/server/admin/context';
import { dateBadge, yearIn } from '$lib/event-time';

const FILTERS = ['upcoming', 'past', 'drafts', 'all'] as const satisfies readonly AdminEventFilter[];

export const load: PageServerLoad = async ({ locals, url }) => {
	requirePermission(locals, 'content.edit');
	const site = locals.site!;
	const requested = url.searchParams.get('show');
	const filter: AdminEventFilter = FILTERS.find((f) => f === requested) ?? 'upcoming';
	const now = new Date();
	const [events, counts] = await Promise.all([listEventsForAdmin(site.id, filter, now), countEventsForAdmin(site.id, now)]);
	const thisYear = yearIn(now, site.timezone);
	return {
		filter,
		counts,
		events: events.map((e) => ({
			id: e.id,
			title: e.title,
			slug: e.slug,
			status: e.status,
			allDay: e.allDay,
			startsAt: e.startsAt.toISOString(),
			badge: dateBadge(e.startsAt, site.timezone),
			otherYear: yearIn(e.startsAt, site.timezone) !== thisYear,
			venueName: e.venueName
		}))
	};
};

export const actions: Actions = {
	duplicate: async (event) => {
		const copy = await duplicateEvent(event, String((await event.request.formData()).get('id') ?? ''));
		redirect(303, adminPath(event, `/events/${copy.id}?copied=1`));
	}
};
