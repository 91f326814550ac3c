/**
 * Input for services: zod schemas of fields shared by several features, and `parseInput`, which
 * turns a schema failure into the one error type (AppError `invalid` with a message per field).
 * Pure: no SvelteKit here, so services and jobs use it alike (routes use forms.ts around it).
 */
import { z } from 'zod';
import { invalidInput, type FieldErrors } from './errors';

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

export const fields = {
	/** Optional text: a field the form did not send counts as empty. */
	text: (max: number, label = 'This field') => trimmed.max(max, `${label} can be at most ${max} characters`).optional().default(''),
	/**
	 * Markdown from a textarea or the rich text editor: line ends as `\n` (browsers post a
	 * textarea's as CRLF), so a text saved without JavaScript is the same text the editor writes.
	 */
	markdown: (max: number, label = 'This field') =>
		z
			.string()
			.transform((s) => s.replace(/\r\n?/g, '\n'))
			.pipe(trimmed.max(max, `${label} can be at most ${max} characters`))
			.optional()
			.default(''),
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
	/** A row id from a form or URL: not a UUID reads as "not found" (see ids.ts). */
	id: (label = 'Item') => z.uuid(`${label} not found`)
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
