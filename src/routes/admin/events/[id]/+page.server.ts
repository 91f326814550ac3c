/** Edit one event; preview its description, cancel or restore, duplicate or delete it. */
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requirePermission } from '$lib/server/auth/permissions';
import { duplicateEvent, removeEvent, saveEvent, setEventCancelled, siteEventOr404 } from '$lib/server/admin/event-actions';
import { eventFormValues } from '$lib/server/admin/event-form';
import { previewMarkdown } from '$lib/server/admin/preview';
import { adminPath } from '$lib/server/admin/context';
import { getAsset } from '$lib/server/queries/assets';
import { renderMarkdown } from '$lib/server/markdown';
import { imageSource } from '$lib/media-url';
import { mediaBase } from '$lib/server/media-base';
import { canonicalUrl } from '$lib/server/urls';

export const load: PageServerLoad = async (event) => {
	requirePermission(event.locals, 'content.edit');
	const site = event.locals.site!;
	const row = await siteEventOr404(event);
	const image = row.imageAssetId ? await getAsset(site.id, row.imageAssetId) : undefined;
	return {
		timezone: site.timezone,
		event: {
			id: row.id,
			status: row.status,
			values: { ...eventFormValues(row, site.timezone), imageAlt: image?.altText ?? '' },
			descriptionHtml: renderMarkdown(row.description),
			publicUrl: canonicalUrl(site.primaryHost, `/events/${row.slug}`, event),
			image: image ? { src: imageSource(mediaBase(), image, 480).src, alt: image.altText } : null
		}
	};
};

export const actions: Actions = {
	save: async (event) => {
		requirePermission(event.locals, 'content.edit');
		return saveEvent(event, await siteEventOr404(event));
	},
	preview: async (event) => {
		requirePermission(event.locals, 'content.edit');
		await siteEventOr404(event);
		return previewMarkdown(event, 'description', 20_000);
	},
	cancel: async (event) => {
		await setEventCancelled(event, true);
		redirect(303, adminPath(event, `/events/${event.params.id}?cancelled=1`));
	},
	restore: async (event) => {
		await setEventCancelled(event, false);
		redirect(303, adminPath(event, `/events/${event.params.id}?restored=1`));
	},
	duplicate: async (event) => {
		const copy = await duplicateEvent(event, event.params.id);
		redirect(303, adminPath(event, `/events/${copy.id}?copied=1`));
	},
	delete: async (event) => {
		requirePermission(event.locals, 'content.edit');
		await siteEventOr404(event);
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') {
			return fail(400, { form: 'delete', errors: { confirm: 'Tick the box to confirm' }, values: {} });
		}
		await removeEvent(event, event.params.id);
		redirect(303, adminPath(event, '/events?deleted=1'));
	}
};
