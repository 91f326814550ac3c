/**
 * Input for services: zod schemas of fields shared by several features, and `parseInput`, which
 * turns a schema failure into the one error type (AppError `invalid` with a message per field).
 * Pure: no SvelteKit here, so services and jobs use it alike (routes use forms.ts around it).
 * Messages are Paraglide functions called when a check fails, so they come out in the language
 * of the request being answered (server/i18n.ts), and services stay free of request objects.
 */
import { z } from 'zod';
import { invalidInput, type FieldErrors } from './errors';
import { m } from '../paraglide/messages';

export type { FieldErrors } from './errors';

export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.join('.') : '_form';
		errors[key] ??= issue.message;
	}
	return errors;
}

/** The parsed input, or AppError `invalid` with the first message of every failing field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (!result.success) throw invalidInput(fieldErrors(result.error));
	return result.data;
}

const trimmed = z.string().trim();

/**
 * A field's name in messages: a message function (resolved when the error is made, so in the
 * language of the request: server/i18n.ts) or, from code not yet translated, plain text.
 */
export type FieldLabel = string | (() => string);
const text = (label: FieldLabel) => (typeof label === 'function' ? label() : label);

/** zod error options whose text is made at parse time, in the request's language. */
export const say = (message: () => string) => ({ error: message });

export const fields = {
	/** Optional text: a field the form did not send counts as empty. */
	text: (max: number, label: FieldLabel = m.admin_label_this_field) =>
		trimmed
			.max(
				max,
				say(() => m.admin_field_too_long({ label: text(label), max }))
			)
			.optional()
			.default(''),
	/**
	 * Markdown from a textarea or the rich text editor: line ends as `\n` (browsers post a
	 * textarea's as CRLF), so a text saved without JavaScript is the same text the editor writes.
	 */
	markdown: (max: number, label: FieldLabel = m.admin_label_this_field) =>
		z
			.string()
			.transform((s) => s.replace(/\r\n?/g, '\n'))
			.pipe(
				trimmed.max(
					max,
					say(() => m.admin_field_too_long({ label: text(label), max }))
				)
			)
			.optional()
			.default(''),
	required: (max: number, label: FieldLabel = m.admin_label_this_field) =>
		trimmed
			.min(
				1,
				say(() => m.admin_field_required({ label: text(label) }))
			)
			.max(
				max,
				say(() => m.admin_field_too_long({ label: text(label), max }))
			),
	slug: (label: FieldLabel = m.admin_label_slug) =>
		trimmed
			.toLowerCase()
			.min(
				1,
				say(() => m.admin_field_required({ label: text(label) }))
			)
			.max(
				63,
				say(() => m.admin_field_too_long({ label: text(label), max: 63 }))
			)
			.regex(
				/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
				say(() => m.admin_field_slug_format({ label: text(label) }))
			),
	/** http(s) URL, or empty → null. */
	optionalUrl: (label: FieldLabel = m.admin_label_link) =>
		trimmed
			.optional()
			.default('')
			.pipe(
				trimmed.max(
					2000,
					say(() => m.admin_field_too_long_plain({ label: text(label) }))
				)
			)
			.refine(
				(v) => v === '' || isHttpUrl(v),
				say(() => m.admin_field_url_scheme({ label: text(label) }))
			)
			.transform((v) => (v === '' ? null : v)),
	checkbox: () =>
		z
			.union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal('')])
			.optional()
			.transform((v) => v !== undefined && v !== ''),
	/** The "Yes, delete …" tick of a confirmation form. */
	confirm: (message: () => string = m.admin_error_tick_to_confirm) => z.literal('yes', say(message)),
	/** A row id from a form or URL: not a UUID reads as "not found" (see ids.ts). */
	id: (label: FieldLabel = m.admin_label_item) => z.uuid(say(() => m.admin_field_not_found({ label: text(label) })))
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
