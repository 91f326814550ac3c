/**
 * A translated sentence with markup in the middle (a link, a host that must not break): the
 * message takes the slot as a parameter, so each language puts it where its word order wants;
 * the page renders the text before and after it around its own element.
 */
const MARK = '\u0000';

export function aroundSlot(message: (slot: string) => string): [before: string, after: string] {
	const [before = '', ...after] = message(MARK).split(MARK);
	return [before, after.join('')];
}
