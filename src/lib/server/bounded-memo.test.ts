import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo';

describe('boundedMemo', () => {
	it('computes each input once, null answers too, and forgets everything when full', () => {
		const calls: string[] = [];
		const memo = boundedMemo((s) => (calls.push(s), s === 'bad' ? null : s.length), 3);
		expect([memo('ab'), memo('ab'), memo('bad'), memo('bad'), memo('abc')]).toEqual([2, 2, null, null, 3]);
		expect(calls).toEqual(['ab', 'bad', 'abc']);
		memo('abcd'); // full: emptied, then remembered alone
		memo('ab');
		expect(calls).toEqual(['ab', 'bad', 'abc', 'abcd', 'ab']);
	});
});
