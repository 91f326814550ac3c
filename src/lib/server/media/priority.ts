/**
 * Page views before image work. Decoding and encoding happen in libvips' own worker threads;
 * on a small machine a burst of uploads keeps them busy on every core, and the event loop that
 * renders pages then waits for CPU like any other thread. Giving those threads a lower CPU
 * priority (nice 10) lets the scheduler run the event loop first, and images use whatever CPU
 * is left, which is what a page view should never have to wait for.
 *
 * Linux only, best effort: nice is a per-thread attribute there, and raising one's own nice
 * value needs no privilege (containers included). Elsewhere this does nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

export const IMAGE_THREAD_NICE = 10;

const done = new Set<number>();

function threadName(tid: string): string {
	try {
		return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
	} catch {
		return '';
	}
}

/** Lower the priority of libvips worker threads not seen before. Cheap: a few small /proc reads. */
export function deprioritizeImageThreads(): void {
	if (process.platform !== 'linux') return;
	let tids: string[];
	try {
		tids = readdirSync('/proc/self/task');
	} catch {
		return;
	}
	for (const t of tids) {
		const tid = Number(t);
		if (done.has(tid) || !threadName(t).startsWith('libvips worker')) continue;
		try {
			setPriority(tid, IMAGE_THREAD_NICE);
		} catch {
			// Not permitted or the thread is gone: images just run at normal priority.
		}
		done.add(tid);
	}
}

/** For tests: the nice value of each libvips worker thread of this process. */
export function imageThreadNiceValues(): number[] {
	if (process.platform !== 'linux') return [];
	return readdirSync('/proc/self/task')
		.filter((t) => threadName(t).startsWith('libvips worker'))
		.map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}
