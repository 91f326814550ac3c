/**
 * Fediverse (admins and up): the site's handle, its followers (remove) and delivery health;
 * owners also switch federation off and on for the site (services/fediverse.ts).
 */
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { fediverseForAdmin, removeFollower, setFediverseEnabled } from '$lib/server/services/fediverse';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const o = await fediverseForAdmin(siteActor(locals));
		return {
			enabled: o.enabled,
			siteEnabled: o.siteEnabled,
			canSwitch: o.canSwitch,
			handle: o.handle,
			failing: o.failing,
			reactions: o.reactions,
			movedFrom: o.movedFrom ? { handle: o.movedFrom.handle, movedAt: o.movedFrom.movedAt.toISOString() } : null,
			followers: o.followers.map((f) => ({
				id: f.id,
				handle: f.handle,
				actorUri: f.actorUri,
				acceptedAt: f.acceptedAt.toISOString(),
				lastDeliveredAt: f.lastDeliveredAt?.toISOString() ?? null,
				lastError: f.lastError,
				lastErrorAt: f.lastErrorAt?.toISOString() ?? null,
				failures: f.failures
			}))
		};
	});

export const actions: Actions = {
	federation: (event) =>
		formAction(event, 'federation', async ({ input }) => {
			const { enabled } = await setFediverseEnabled(siteActor(event.locals), input);
			redirect(303, adminPath(event, `/fediverse?switched=${enabled ? 'on' : 'off'}`));
		}),
	remove: (event) =>
		formAction(event, rowForm('remove'), async ({ input }) => {
			await removeFollower(siteActor(event.locals), input);
			redirect(303, adminPath(event, '/fediverse?removed=1'));
		})
};
