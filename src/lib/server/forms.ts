/**
 * Form actions: read a FormData through a zod schema; on failure answer 400 with an error per
 * field and the submitted values (so the form is shown again with the input kept), never a
 * half-done write. Used by every admin form action.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';

export type FieldErrors = Record<string, string>;
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

/** A plain object for zod: single values as strings, repeated keys as arrays, files as File. */
export function formObject(form: FormData): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of form.entries()) {
		const existing = out[key];
		if (existing === undefined) out[key] = value;
		else out[key] = [...[existing].flat(), value];
	}
	return out;
}

export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.join('.') : '_form';
		errors[key] ??= issue.message;
	}
	return errors;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; failure: ActionFailure<FormFailure> };

export function parseForm<S extends z.ZodType>(schema: S, form: FormData, name?: string): Parsed<z.output<S>> {
	const result = schema.safeParse(formObject(form));
	if (result.success) return { ok: true, data: result.data };
	return { ok: false, failure: invalid(form, fieldErrors(result.error), name) };
}

/** 400 (or another 4xx, e.g. 413/415 for a refused upload) with field errors and the values kept. */
export function invalid(form: FormData, errors: FieldErrors, name?: string, message?: string, status = 400): ActionFailure<FormFailure> {
	return fail(status, { form: name, errors, values: formValues(form), message });
}

// ---- Reusable field schemas ----

const trimmed = z.string().trim();

export const fields = {
	/** Optional text: a field the form did not send counts as empty. */
	text: (max: number, label = 'This field') => trimmed.max(max, `${label} can be at most ${max} characters`).optional().default(''),
	required: (max: number, label = 'This field') =>
		trimmed.min(1, `${label} is required`).max(max, `${label} can be at most ${max} characters`),
	slug: (label = 'Slug') =>
		trimmed
			.toLowerCase()
			.min(1, `${label} is required`)
			.max(63, `${label} can be at most 63 characters`)
			.regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, `${label} may contain lowercase letters, digits and dashes (not at the ends)`),
	/** http(s) URL, or empty → null. */
	optionalUrl: (label = 'Link') =>
		trimmed
			.optional()
			.default('')
			.pipe(trimmed.max(2000, `${label} is too long`))
			.refine((v) => v === '' || isHttpUrl(v), `${label} must start with https:// or http://`)
			.transform((v) => (v === '' ? null : v)),
	checkbox: () =>
		z
			.union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal('')])
			.optional()
			.transform((v) => v !== undefined && v !== ''),
	uuid: (label = 'Item') => z.string().uuid(`${label} not found`)
};

export function isHttpUrl(value: string): boolean {
	try {
		const u = new URL(value);
		return (u.protocol === 'https:' || u.protocol === 'http:') && Boolean(u.hostname);
	} catch {
		return false;
	}
}

/** Turn text into a URL slug (shared with the editors in the browser). */
export { slugify } from '../slugify';
