import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { eventPage } from '$lib/server/public-site/event-page';

/** One date of a series: /events/<series-slug>/<yyyy-mm-dd>. */
export const load: PageServerLoad = (event) => {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(event.params.date)) error(404, 'There is no such event.');
	return eventPage(event, `${event.params.slug}/${event.params.date}`, true);
};
