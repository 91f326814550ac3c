import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Any other path on a site: the site's own themed 404 (the root error page has no theme). */
export const load: PageServerLoad = () => {
	error(404, 'Not found');
};
