/**
 * Two editors saving the same slug at the same moment both pass the "is it taken?" check; the
 * unique index then refuses the second insert. That is a field error for the form, not a 500.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
	for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		// postgres-js names the field constraint_name, PGlite constraint.
		const { code, constraint_name, constraint: name } = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
		if (code === '23505' && (constraint_name ?? name) === constraint) return true;
	}
	return false;
}
