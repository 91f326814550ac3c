/**
 * "Update preview" of a Markdown field: render the posted text through the same sanitizing
 * renderer as the public page, server-side, and hand the whole form back unsaved. A plain form
 * submit (formaction="?/preview"), so it works without JavaScript too.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { requirePermission } from '../auth/permissions';
import { formValues } from '../forms';
import { renderMarkdown } from '../markdown';

export async function previewMarkdown(event: RequestEvent, field: string, max: number) {
	requirePermission(event.locals, 'content.edit');
	const form = await event.request.formData();
	const text = form.get(field);
	return { preview: renderMarkdown(typeof text === 'string' ? text.slice(0, max) : ''), values: formValues(form) };
}
