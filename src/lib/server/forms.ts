/**
 * The route side of the one error path. Routes shrink to form → service → result:
 *
 *   save: (event) => formAction(event, 'settings', (input) => updateSettings(siteActor(event.locals), input))
 *
 * `formAction` reads the body (an unparsable one is a 400, not a 500), hands the service a plain
 * object, and turns the AppError it may throw into the answer: a rule about the input → `fail()`
 * with a message per field and the input kept, so the form is shown again; "not signed in / not
 * allowed / not found / gone" → SvelteKit's `error()`, the same page a load gives. `pageData` does
 * the second half for loads. Anything an AppError escapes to anyway becomes a plain page with its
 * status in hooks.server.ts, never a 500.
 */
import { error, fail, isRedirect, type ActionFailure } from '@sveltejs/kit';
import { AppError, type FieldErrors } from './errors';
import { m } from '../paraglide/messages';

export type { FieldErrors } from './errors';
export type FormValues = Record<string, string | string[]>;

export interface FormFailure {
	/** Which form failed, when a page has several (e.g. "invite", "domain"). */
	form?: string;
	errors: FieldErrors;
	values: FormValues;
	/** A message for the whole form (not tied to one field). */
	message?: string;
}

/** Text values of a form (files and password-like fields are left out of echoed values). */
export function formValues(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form.entries()) {
		if (typeof value !== 'string' || /password|secret|token/i.test(key)) continue;
		const existing = values[key];
		if (existing === undefined) values[key] = value;
		else values[key] = [...[existing].flat(), value];
	}
	return values;
}

/** A plain object for a service's zod schema: single values as strings, repeated keys as arrays, files as File. */
export function formObject(form: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of form.entries()) {
		const existing = out[key];
		if (existing === undefined) out[key] = value;
		else out[key] = [...[existing].flat(), value];
	}
	return out;
}

/** The request's form. A body that is not a form (text/plain, a broken multipart boundary) is a 400. */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (cause) {
		throw new AppError('bad_request', m.admin_error_form_unreadable(), cause);
	}
}

/** Statuses that are about the request as a whole: shown as an error page, not next to a field. */
const PAGE_STATUSES = new Set([401, 403, 404, 410]);

/** An AppError as the form's failure (400/409/413/422…, input kept), or as an error page. */
export function formFailure(form: FormData | null, e: AppError, name?: string): ActionFailure<FormFailure> {
	if (PAGE_STATUSES.has(e.status)) error(e.status, e.message);
	const hasFields = Object.keys(e.fields).length > 0;
	return fail(e.status, {
		form: name,
		errors: e.fields,
		values: form ? formValues(form) : {},
		message: hasFields && e.code === 'invalid' ? undefined : e.message
	});
}

export interface ActionInput {
	form: FormData;
	/** The form as a plain object, ready for a service's schema. */
	input: Record<string, unknown>;
}

/**
 * Run one form action: read the form, call `run`, map AppErrors (see the top of this file).
 * `name` tells the page which of its forms failed (a function of the form for pages with one
 * form per row, e.g. `(f) => \`domain-${f.get('id')}\``). Redirects pass through.
 */
export async function formAction<T>(
	event: { request: Request },
	name: string | undefined | ((form: FormData) => string),
	run: (input: ActionInput) => Promise<T>
): Promise<T | ActionFailure<FormFailure>> {
	let form: FormData | null = null;
	try {
		form = await readForm(event.request);
		return await run({ form, input: formObject(form) });
	} catch (e) {
		if (isRedirect(e) || !(e instanceof AppError)) throw e;
		return formFailure(form, e, typeof name === 'function' ? (form ? name(form) : undefined) : name);
	}
}

/** The failure name of a form that belongs to one row: `<prefix>-<id>`. */
export const rowForm =
	(prefix: string, field = 'id') =>
	(form: FormData) =>
		`${prefix}-${String(form.get(field) ?? '')}`;

/** A load that calls services: an AppError becomes SvelteKit's error page with its status. */
export async function pageData<T>(load: () => Promise<T>): Promise<T> {
	try {
		return await load();
	} catch (e) {
		if (e instanceof AppError) error(e.status, e.message);
		throw e;
	}
}
