import { describe, expect, it } from 'vitest';
import { QueueFullError, Semaphore } from './semaphore';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Semaphore', () => {
	it('runs at most `limit` tasks at once, the others in arrival order', async () => {
		const gate = new Semaphore(2);
		let running = 0;
		let peak = 0;
		const started: number[] = [];
		const task = (i: number) => async () => {
			started.push(i);
			running++;
			peak = Math.max(peak, running);
			await tick();
			running--;
			return i;
		};
		const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => gate.run(task(i))));
		expect(results).toEqual([0, 1, 2, 3, 4, 5]);
		expect(peak).toBe(2);
		expect(started).toEqual([0, 1, 2, 3, 4, 5]);
		expect([gate.running, gate.queued]).toEqual([0, 0]);
	});

	it('frees the slot when a task throws', async () => {
		const gate = new Semaphore(1);
		await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await gate.run(async () => 'next')).toBe('next');
		expect(gate.running).toBe(0);
	});

	it('refuses at once when the queue is full', async () => {
		const gate = new Semaphore(1, 1);
		let release!: () => void;
		const first = gate.run(() => new Promise<void>((r) => (release = r)));
		const second = gate.run(async () => 'second');
		await expect(gate.run(async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
		release();
		await first;
		expect(await second).toBe('second');
	});
});
