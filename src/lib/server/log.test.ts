import { describe, expect, it } from 'vitest';
import { redactQueryParams } from './log';

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
