/**
 * JSON for a <script type="application/ld+json"> element. JSON.stringify alone is not enough:
 * a title containing `</script>` would end the element and whatever follows would run as HTML.
 * Escaping `<`, `>` and `&` as \u-sequences keeps the JSON identical for a parser and inert for
 * the HTML tokenizer; U+2028/2029 are escaped for old JavaScript parsers.
 */
const UNSAFE: Record<string, string> = {
	'<': '\\u003c',
	'>': '\\u003e',
	'&': '\\u0026',
	'\u2028': '\\u2028',
	'\u2029': '\\u2029'
};

export function serializeJsonLd(data: unknown): string {
	return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => UNSAFE[c]!);
}

/** The whole element, for {@html} in <svelte:head>. */
export function jsonLdScript(data: unknown): string {
	return `<script type="application/ld+json">${serializeJsonLd(data)}</script>`;
}
