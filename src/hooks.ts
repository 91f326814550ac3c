import type { Reroute } from '@sveltejs/kit';
import { hubRoute, isHubUrl } from '$lib/hub-routing';

export const reroute: Reroute = ({ url }) => {
	if (isHubUrl(url)) return hubRoute(url.pathname);
};
