/**
 * Autosaved drafts (editors and up): the person's unsaved drafts on this site, and the actions the
 * editors' DraftStatus component calls with fetch (`find`, `save`, `discard`). They are form
 * actions, so the cross-site form check and the isolation matrix cover them like every other.
 */
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { discardDraft, draftFor, draftsForAdmin, saveDraft } from '$lib/server/services/revisions';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => ({
		drafts: (await draftsForAdmin(siteActor(locals))).map((d) => ({
			key: d.key,
			title: String(d.data.title ?? d.data.heroTitle ?? ''),
			updatedAt: d.updatedAt
		}))
	}));

export const actions: Actions = {
	find: (event) => formAction(event, 'draft', async ({ input }) => ({ draft: await draftFor(siteActor(event.locals), input) })),
	save: (event) =>
		formAction(event, 'draft', async ({ input }) => ({ savedAt: (await saveDraft(siteActor(event.locals), input)).updatedAt })),
	discard: (event) =>
		formAction(event, 'draft', async ({ input }) => {
			await discardDraft(siteActor(event.locals), input);
			return { discarded: true };
		})
};
