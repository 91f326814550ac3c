/**
 * A pure function of a string, remembered per distinct input for the request hot path (the Host
 * header, a request URL): a server sees the same few thousand again and again. Bounded by
 * emptying the map when it is full, so a stream of random inputs costs no memory, and cheaper
 * per lookup than an LRU, which is what these answers need.
 */
export function boundedMemo<V>(compute: (input: string) => V, max = 4096): (input: string) => V {
	const remembered = new Map<string, V>();
	return (input) => {
		if (remembered.has(input)) return remembered.get(input)!;
		const value = compute(input);
		if (remembered.size >= max) remembered.clear();
		remembered.set(input, value);
		return value;
	};
}
