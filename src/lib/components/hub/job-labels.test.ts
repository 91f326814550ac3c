import { describe, expect, it } from 'vitest';
import { jobDefinitions } from '$lib/server/jobs/definitions';
import { JOB_KIND_LABELS, jobKindLabel, jobStateLabel } from './job-labels';

describe('Jobs screen labels', () => {
	it('has a readable name for every job the server defines, and no stale one', () => {
		expect(Object.keys(JOB_KIND_LABELS).sort()).toEqual(jobDefinitions.map((j) => j.name).sort());
	});

	it('falls back to the technical name for what it does not know', () => {
		expect(jobKindLabel('mail.send')).toBe('Sending an e-mail');
		expect(jobKindLabel('test.unknown')).toBeNull();
		expect(jobStateLabel('failed')).toBe('Failed');
		expect(jobStateLabel('expired')).toBe('expired');
	});
});
