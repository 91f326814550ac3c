import type { LayoutServerLoad } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';

export const load: LayoutServerLoad = async (event) => {
	requireSuperAdmin(event);
	return { hubUser: { name: event.locals.user!.name, image: event.locals.user!.image } };
};
