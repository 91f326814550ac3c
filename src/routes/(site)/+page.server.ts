import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { listUpcomingEvents } from '$lib/server/content/events';
import { getHome } from '$lib/server/content/home';

export const load: PageServerLoad = async ({ locals }) => {
	const site = locals.site;
	if (!site) error(404, 'Not found');
	const [home, events] = await Promise.all([getHome(site.id), listUpcomingEvents(site.id, new Date(), 6)]);
	return {
		site: { name: site.name, tagline: site.tagline },
		home: { heroTitle: home.heroTitle, heroText: home.heroText, intro: home.intro },
		events: events.map((e) => ({ slug: e.slug, title: e.title, startsAt: e.startsAt.toISOString(), status: e.status }))
	};
};
