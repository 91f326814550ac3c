/** The platform's activity feed: the latest changes on every site and on the platform itself. */
import type { PageServerLoad } from './$types';
import { requireSuperAdmin } from '$lib/server/hub/guard';
import { listAllAudit } from '$lib/server/queries/audit';

export const load: PageServerLoad = async (event) => {
	requireSuperAdmin(event);
	const activity = await listAllAudit(100);
	return {
		activity: activity.map((a) => ({
			id: a.id,
			at: a.at.toISOString(),
			actor: a.actorName,
			action: a.action,
			target: a.target,
			detail: a.detail,
			platform: a.siteId === null
		}))
	};
};
