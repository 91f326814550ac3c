import type { PageServerLoad } from './$types';
import { listUpcomingEvents } from '$lib/server/queries/events';
import { getHome } from '$lib/server/queries/home';
import { htmlOf } from '$lib/server/rich-text';
import { buildSeo } from '$lib/server/public-site/seo';
import { eventImages, eventView } from '$lib/server/public-site/views';
import { yearIn } from '$lib/event-time';

/** Events on the home page: the next one featured in the hero, a few more below it. */
const HOME_EVENTS = 7;

export const load: PageServerLoad = async (event) => {
	const site = event.locals.site!;
	const now = new Date();
	const [home, rows] = await Promise.all([getHome(site.id), listUpcomingEvents(site.id, now, HOME_EVENTS)]);
	const [images, introHtml] = await Promise.all([eventImages(site.id, rows), htmlOf(site, home.intro, home)]);
	const events = home.showEvents ? rows.map((r) => eventView(r, site, images)) : [];
	return {
		home: {
			heroTitle: home.heroTitle,
			heroText: home.heroText,
			introHtml,
			showEvents: home.showEvents,
			showLinks: home.showLinks
		},
		events,
		currentYear: String(yearIn(now, site.timezone)),
		seo: buildSeo(site, event, { path: '/', description: site.description || home.heroText || site.tagline })
	};
};
