/**
 * The language picker of the admin and the hub panel: a plain form (works without JavaScript)
 * that remembers the choice on the person's user row and goes back to the page it came from,
 * now in that language.
 */
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { readForm } from '$lib/server/forms';
import { safeReturnPath, defaultReturnPath } from '$lib/server/auth/return-path';
import { setAdminLanguage } from '$lib/server/services/profile';

export const POST: RequestHandler = async ({ request, locals }) => {
	const form = await readForm(request);
	await setAdminLanguage(locals, { locale: form.get('locale') });
	redirect(303, safeReturnPath(form.get('next'), defaultReturnPath(locals)));
};
