/**
 * HTML pasted from Word or Google Docs, reduced to what it means before the editor's schema reads
 * it (the schema keeps only its own nodes and marks; styles, classes and unknown tags go anyway).
 * What the schema cannot see by itself: bold and italic given as inline styles (Google Docs), the
 * whole-document <b> wrapper Google Docs adds (it would make everything bold), Word's list
 * paragraphs with their typed bullets, and Word's <o:p>/<style>/conditional comments.
 * Browser only (DOMParser); nothing pasted is trusted: the server sanitizes what is saved.
 */
const BOLD = /font-weight\s*:\s*(bold|[6-9]00)/i;
const NOT_BOLD = /font-weight\s*:\s*(normal|[1-4]00)/i;
const ITALIC = /font-style\s*:\s*italic/i;
const WORD_LIST = /mso-list\s*:\s*l\d+\s+level(\d+)/i;

function unwrap(el: Element) {
	el.replaceWith(...el.childNodes);
}

function wrapIn(el: Element, tag: string) {
	const wrapper = el.ownerDocument.createElement(tag);
	wrapper.append(...el.childNodes);
	el.append(wrapper);
}

/** Word writes list items as paragraphs with a typed marker; make them real lists again. */
function wordLists(doc: Document) {
	const items = [...doc.body.querySelectorAll('p')].filter(
		(p) => WORD_LIST.test(p.getAttribute('style') ?? '') || /MsoListParagraph/.test(p.className)
	);
	let list: HTMLElement | null = null;
	let last: Element | null = null;
	for (const p of items) {
		const marker = p.querySelector('span[style*="mso-list"]');
		const markerText = marker?.textContent?.trim() ?? '';
		marker?.remove();
		const ordered = /^[0-9a-z]{1,3}[.)]$/i.test(markerText);
		if (!list || last?.nextElementSibling !== p || list.tagName !== (ordered ? 'OL' : 'UL')) {
			list = doc.createElement(ordered ? 'ol' : 'ul');
			p.before(list);
		}
		const li = doc.createElement('li');
		li.append(...p.childNodes);
		p.remove();
		list.append(li);
		last = list;
	}
}

/** Images the site can show: the web, or its own media (a data: or relative junk source is dropped). */
const IMAGE_SOURCE = /^(https?:\/\/|\/media\/)/i;

export function cleanPastedHtml(html: string): string {
	const doc = new DOMParser().parseFromString(html, 'text/html');
	for (const el of doc.querySelectorAll('style, script, meta, link, title, xml, template, iframe, object, embed, form')) el.remove();
	for (const el of doc.body.querySelectorAll('*')) {
		// Word's <o:p> and friends (namespaced tags) carry nothing.
		if (el.tagName.includes(':')) {
			el.remove();
			continue;
		}
		// Nothing that runs reaches the editor's own parsing (the server sanitizes again on save).
		for (const attr of [...el.attributes]) {
			if (
				/^on/i.test(attr.name) ||
				(/^(href|src|action|formaction|xlink:href)$/i.test(attr.name) && /^\s*(javascript|vbscript|data):/i.test(attr.value))
			)
				el.removeAttribute(attr.name);
		}
		if (el.tagName === 'IMG' && !IMAGE_SOURCE.test(el.getAttribute('src') ?? '')) el.remove();
	}
	for (const b of doc.body.querySelectorAll('b[id^="docs-internal-guid"], b[style*="font-weight:normal"], b[style*="font-weight: normal"]'))
		unwrap(b);
	wordLists(doc);
	for (const el of doc.body.querySelectorAll('span[style], font[style]')) {
		const style = el.getAttribute('style') ?? '';
		if (BOLD.test(style)) wrapIn(el, 'strong');
		if (ITALIC.test(style)) wrapIn(el, 'em');
	}
	for (const el of doc.body.querySelectorAll('strong[style], b[style]')) if (NOT_BOLD.test(el.getAttribute('style') ?? '')) unwrap(el);
	// Google Docs puts each paragraph's text in a <span> inside the list item's <p>: fine as is.
	return doc.body.innerHTML;
}
