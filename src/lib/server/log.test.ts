import { describe, expect, it, vi } from 'vitest';
import { log, redactQueryParams, setLogLevel } from './log';

describe('redactQueryParams', () => {
	it('keeps the SQL of a failed query but not its parameters, in the message and the stack', () => {
		const message = 'Failed query: select "id" from "session" where "session"."token" = $1\nparams: SECRETTOKEN123';
		expect(redactQueryParams(message)).toBe('Failed query: select "id" from "session" where "session"."token" = $1\nparams: [redacted]');
		const stack = `Error: ${message}\nwith a second line\n    at PostgresJsPreparedQuery.queryWithCache (file.js:1:2)\n    at next (file.js:3:4)`;
		const redacted = redactQueryParams(stack)!;
		expect(redacted).not.toContain('SECRETTOKEN123');
		expect(redacted).not.toContain('second line');
		expect(redacted).toContain('params: [redacted]\n    at PostgresJsPreparedQuery.queryWithCache');
		expect(redactQueryParams('plain message')).toBe('plain message');
	});
});

describe('log lines', () => {
	const lines = (stream: NodeJS.WriteStream, write: () => void) => {
		const written: string[] = [];
		const spy = vi.spyOn(stream, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
		try {
			write();
		} finally {
			spy.mockRestore();
		}
		return written.map((l) => JSON.parse(l) as Record<string, unknown>);
	};

	it('writes primitive fields as they are, and errors (also nested) redacted, whichever way it stringifies', () => {
		setLogLevel('info');
		const [plain] = lines(process.stdout, () => log.info('request', { id: 'a', status: 200, route: null, ms: 1.5 }));
		expect(plain).toMatchObject({ level: 'info', msg: 'request', id: 'a', status: 200, route: null, ms: 1.5 });
		const error = new Error('Failed query: select 1\nparams: SECRET');
		const [top, nested] = lines(process.stderr, () => {
			log.warn('failed', { error });
			log.warn('failed', { detail: { error } });
		});
		for (const logged of [top!.error, (nested!.detail as Record<string, unknown>).error]) {
			expect(logged).toMatchObject({ name: 'Error', message: 'Failed query: select 1\nparams: [redacted]' });
			expect(JSON.stringify(logged)).not.toContain('SECRET');
		}
	});

	it('says whether a level is written at all', () => {
		setLogLevel('warn');
		expect([log.enabled('info'), log.enabled('warn')]).toEqual([false, true]);
		expect(lines(process.stdout, () => log.info('request', { id: 'b' }))).toEqual([]);
		setLogLevel('info');
		expect(log.enabled('info')).toBe(true);
	});
});
