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

function write(level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>): void {
	if (LEVELS[level] < threshold) return;
	const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }, (_key, value) =>
		value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value
	);
	(level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
	debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
	info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
	warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
	error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields)
};
