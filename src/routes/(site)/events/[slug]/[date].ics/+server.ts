import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { RequestHandler } from './$types';
import { eventCalendarFile } from '$lib/server/public-site/event-calendar-file';

/** One date of a series as an .ics download. */
export const GET: RequestHandler = (event) => {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(event.params.date)) error(404, m.no_such_event());
	return eventCalendarFile(event, `${event.params.slug}/${event.params.date}`);
};
