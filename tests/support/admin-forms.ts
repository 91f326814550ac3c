/**
 * Posting admin forms the way a browser without JavaScript does: a multipart body (files
 * included), the Origin of the host, and the session cookie of that host. The answer is the
 * action's own: 303 on success, 400 with the form and its errors, 401/403/404 when refused.
 */
import { postForm, request, type HttpResult } from './server';

export type Fields = Record<string, string | File | undefined>;

export async function postAdminForm(origin: string, path: string, host: string, cookie: string, fields: Fields): Promise<HttpResult> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
	const encoded = new Response(form);
	return request(origin, path, host, {
		method: 'POST',
		headers: {
			'content-type': encoded.headers.get('content-type')!,
			origin: `http://${host}`,
			accept: 'text/html',
			...(cookie ? { cookie } : {})
		},
		body: Buffer.from(await encoded.arrayBuffer())
	});
}

/** The `Location` of a redirect, without the origin. */
export const locationOf = (r: HttpResult) => String(r.headers.location ?? '');

/**
 * The action's own answer, as an enhanced form (use:enhance) receives it: SvelteKit runs the
 * action without the page's loads, so a refusal here is the action's own permission check.
 * `fail(4xx)` arrives as HTTP 200 with type "failure"; thrown errors keep their HTTP status.
 */
export async function actionAnswer(
	origin: string,
	path: string,
	host: string,
	cookie: string,
	fields: Record<string, string>
): Promise<{ status: number; body: string }> {
	const r = await postForm(origin, path, host, fields, cookie ? { cookie } : {});
	try {
		const json = JSON.parse(r.body) as { type?: string; status?: number };
		if (json.type === 'failure' || json.type === 'redirect') return { status: json.status ?? r.status, body: r.body };
	} catch {
		// Not JSON: an error page.
	}
	return { status: r.status, body: r.body };
}
