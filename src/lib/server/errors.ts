/**
 * The one application error type. Below routes nothing else is thrown for a rule a request broke:
 * the code decides the HTTP status; `message` is safe to show a user; `fields` are messages next to
 * form fields; `detail` goes to the logs only. Routes turn it into a form failure (`formAction` in
 * forms.ts) and anything that escapes a load or an endpoint into a plain page with its status
 * (`appErrorResponse`, hooks.server.ts) — never a 500.
 *
 * Messages are made in the language of the request being answered (server/i18n.ts): services
 * call Paraglide's message functions when they throw, nothing else.
 */
import { m } from '../paraglide/messages';

export const ERROR_STATUS = {
	bad_request: 400,
	/** Input that breaks a rule of the form: `fields` says which, next to each field. */
	invalid: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	/**
	 * A name, address or domain taken (a unique index said so, or a check before it). 400 like any
	 * other field error of a form, as the forms have always answered it.
	 */
	already_exists: 400,
	gone: 410,
	payload_too_large: 413,
	unsupported_media_type: 415,
	unprocessable: 422,
	rate_limited: 429,
	unavailable: 503,
	internal: 500
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
	readonly status: number;
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly detail?: unknown,
		readonly fields: FieldErrors = {}
	) {
		super(message);
		this.name = 'AppError';
		this.status = ERROR_STATUS[code];
	}
}

export const notFound = (what: string = m.admin_error_not_found()) => new AppError('not_found', what);

/** A form rule broken: one message per field (shown next to it), no message for the whole form. */
export const invalidInput = (fields: FieldErrors, message: string = m.admin_error_check_fields()) =>
	new AppError('invalid', message, undefined, fields);

/** A taken name, reported on the field that holds it. */
export const alreadyExists = (field: string, message: string) => new AppError('already_exists', message, undefined, { [field]: message });

/**
 * Connection-level failures: the database cannot be reached at all (refused, reset, timed out,
 * terminated, or the health circuit of db/health.ts is open). These open the circuit.
 */
const CONNECTION_FAILURES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'CONNECT_TIMEOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'DATABASE_DOWN',
	'EPIPE',
	'57P01',
	'57P02',
	'57P03',
	'08006',
	'08001',
	'08004'
]);

/**
 * The database is there but cannot answer this request in time: a statement cancelled by
 * statement_timeout (57014), a session ended by idle_in_transaction_session_timeout (25P03), no
 * connection slot left on the server (53300) or in our pool within the acquire wait (POOL_TIMEOUT,
 * db/pool-limit.ts). Answered with the 503 page too, but the circuit stays closed.
 */
const OVERLOADED = new Set(['57014', '25P03', '53300', 'POOL_TIMEOUT']);

function errorCodes(error: unknown): string[] {
	const codes: string[] = [];
	const seen = new Set<unknown>();
	let e: unknown = error;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string') codes.push(code);
		e = (e as { cause?: unknown }).cause;
	}
	return codes;
}

/** Whether an error means the database cannot be reached (see CONNECTION_FAILURES). */
export function isConnectionFailure(error: unknown): boolean {
	return errorCodes(error).some((code) => CONNECTION_FAILURES.has(code));
}

/** Whether an unknown error means the database cannot serve this request now (a 503, not a 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
	return errorCodes(error).some((code) => CONNECTION_FAILURES.has(code) || OVERLOADED.has(code));
}

/**
 * A PostgreSQL error with this SQLSTATE anywhere in the cause chain (drivers and Drizzle wrap
 * them), optionally for one named constraint (postgres-js calls it constraint_name, PGlite
 * constraint).
 */
function hasPostgresError(error: unknown, code: string, constraint?: string): boolean {
	for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		const { code: c, constraint_name, constraint: name } = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
		if (c === code && (constraint === undefined || (constraint_name ?? name) === constraint)) return true;
	}
	return false;
}

/**
 * A unique index refused the write (of `constraint`, or any): two people taking the same name at
 * the same moment both pass the "is it taken?" check, and that is a field error, not a 500.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
	return hasPostgresError(error, '23505', constraint);
}

/** A foreign key refused the write (e.g. an image attached between a check and its delete). */
export function isForeignKeyViolation(error: unknown): boolean {
	return hasPostgresError(error, '23503');
}
