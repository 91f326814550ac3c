/** Small helpers shared by the admin editors (client and server rendering alike). */
import type { SubmitFunction } from '@sveltejs/kit';

/** One field's value from values kept after a failed save (repeated fields: the first). */
export function fieldValue(values: Record<string, string | string[]> | null | undefined, name: string): string {
	const value = values?.[name];
	return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * `use:enhance` for editors: keep what was typed when the server answers with errors (SvelteKit
 * would reset the form), and report "saving" so the button can say so.
 */
export function keepInput(setSaving: (saving: boolean) => void = () => {}): SubmitFunction {
	return () => {
		setSaving(true);
		return async ({ update }) => {
			await update({ reset: false });
			setSaving(false);
		};
	};
}

/**
 * `use:enhance` for "add" forms: empty the form once the server saved it (SvelteKit resets a form
 * on a success result only, not on the redirect our actions answer with, so a second click would
 * add the same thing again); keep what was typed when the server refused it.
 */
export function clearAfterSave(): SubmitFunction {
	return () => {
		return async ({ result, update, formElement }) => {
			await update({ reset: false });
			if (result.type === 'redirect' || result.type === 'success') formElement.reset();
		};
	};
}

/** The failure of one named form on a page with several (`form` as the action returned it). */
export function failureOf(
	form: { form?: string; errors?: Record<string, string>; values?: Record<string, string | string[]>; message?: string } | null | undefined,
	name: string
) {
	const mine = form?.form === name ? form : null;
	return {
		failed: mine !== null,
		errors: (mine?.errors ?? {}) as Record<string, string>,
		message: mine?.message,
		value: (field: string, fallback = '') => {
			const v = mine?.values?.[field];
			return Array.isArray(v) ? (v[0] ?? fallback) : (v ?? fallback);
		}
	};
}
