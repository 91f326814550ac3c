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
