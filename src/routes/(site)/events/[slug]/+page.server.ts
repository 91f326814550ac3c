import type { PageServerLoad } from './$types';
import { eventPage } from '$lib/server/public-site/event-page';

export const load: PageServerLoad = (event) => eventPage(event, event.params.slug);
