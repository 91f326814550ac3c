/**
 * Runs `fn` over `items` with at most `limit` calls in flight. The isolation matrix sends thousands
 * of requests that change nothing (or change A in ways whose status does not depend on order); one
 * at a time they waited on the round trip, so most of the file's time was latency.
 */
export async function concurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < items.length) await fn(items[next++]!);
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
