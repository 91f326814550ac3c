/** Tags (editors and up): the site's own vocabulary of event kinds — add, rename/recolour, delete (services/tags.ts). */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData, rowForm } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { deleteTag, saveTag, tagsOfSite } from '$lib/server/services/tags';
import { adminPath } from '$lib/server/admin-path';
import { chipText } from '$lib/tag-colors';

export const load: PageServerLoad = ({ locals }) =>
	pageData(async () => {
		const tags = await tagsOfSite(siteActor(locals));
		return {
			tags: tags.map((t) => ({ id: t.id, name: t.name, slug: t.slug, color: t.color, text: t.color ? chipText(t.color) : null }))
		};
	});

const done = (event: RequestEvent, what: string, focus = ''): never =>
	redirect(303, adminPath(event, `/events/tags?${what}=1${focus ? `#${focus}` : ''}`));

/** A colour input always sends a colour: "no colour" is its own checkbox. */
const withColor = (input: Record<string, unknown>) => ({ ...input, color: input.noColor ? '' : input.color });

export const actions: Actions = {
	add: (event) =>
		formAction(event, 'add', async ({ input }) => {
			const row = await saveTag(siteActor(event.locals), null, withColor(input));
			done(event, 'saved', `tag-${row.id}`);
		}),
	update: (event) =>
		formAction(event, rowForm('tag'), async ({ input }) => {
			const row = await saveTag(siteActor(event.locals), input.id, withColor(input));
			done(event, 'saved', `tag-${row.id}`);
		}),
	delete: (event) =>
		formAction(event, rowForm('tag'), async ({ input }) => {
			await deleteTag(siteActor(event.locals), input.id);
			done(event, 'deleted');
		})
};
