/**
 * Structured logs: one JSON object per line on stdout (errors on stderr), filtered by LOG_LEVEL.
 * Never pass request headers, cookies or secrets in `fields`.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

let threshold: number = LEVELS[(process.env.LOG_LEVEL as LogLevel) in LEVELS ? (process.env.LOG_LEVEL as LogLevel) : 'info'];

export function setLogLevel(level: LogLevel): void {
	threshold = LEVELS[level];
}

/**
 * Drizzle's "Failed query" errors end their message with the query's parameters, which can be
 * session tokens, invitation tokens or a visitor's input: keep the SQL, drop the values.
 */
export const redactQueryParams = (text: string | undefined) => text?.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '\nparams: [redacted]');

const errorFields = (_key: string, value: unknown) =>
	value instanceof Error ? { name: value.name, message: redactQueryParams(value.message), stack: redactQueryParams(value.stack) } : value;

/** Whether any field is an object (an Error, maybe nested): only then is the replacer needed. */
function hasObjects(fields: Record<string, unknown> | undefined): boolean {
	for (const key in fields) if (typeof fields[key] === 'object' && fields[key] !== null) return true;
	return false;
}

function write(level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void {
	if (LEVELS[level] < threshold) return;
	const record = { t: new Date().toISOString(), level, msg, ...fields };
	// The same text either way; a replacer costs a call per key, and a request line has no objects.
	const line = hasObjects(fields) ? JSON.stringify(record, errorFields) : JSON.stringify(record);
	(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
	/** For a hot path: whether a line of this level is written at all (skip building its fields). */
	enabled: (level: Exclude<LogLevel, 'silent'>) => LEVELS[level] >= threshold,
	debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
	info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
	warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
	error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields)
};
