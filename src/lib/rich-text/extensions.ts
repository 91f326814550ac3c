/**
 * The editor's document model (Tiptap 3 on ProseMirror) and its Markdown form, shared by the
 * editor in the browser and the round-trip tests. Markdown stays the stored format: every node
 * here has a Markdown spelling the server renders (server/rich-text.ts), nothing else survives
 * a paste.
 */
import { Node, createAtomBlockMarkdownSpec, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { Markdown } from '@tiptap/markdown';

/** Links the site allows (the server's sanitizer allows the same schemes). */
export function isAllowedHref(href: string): boolean {
	const value = href.trim();
	if (value.startsWith('/') && !value.startsWith('//')) return true;
	return /^(https?:\/\/[^\s]+|mailto:[^\s]+|tel:[+0-9][0-9 ()-]*)$/i.test(value);
}

/** A card of one of the site's events: `:::event {slug="…"} :::` on a line of its own. */
export const EventCard = Node.create({
	name: 'eventCard',
	group: 'block',
	atom: true,
	selectable: true,
	draggable: true,
	addAttributes() {
		return {
			slug: { default: null },
			/** Shown in the editor only; the public card is built from the event itself. */
			title: { default: '', rendered: false }
		};
	},
	parseHTML() {
		return [{ tag: 'div[data-event-card]', getAttrs: (el) => ({ slug: (el as HTMLElement).getAttribute('data-event-card') }) }];
	},
	renderHTML({ node }) {
		return [
			'div',
			{ 'data-event-card': node.attrs.slug, class: 'editor-event-card' },
			`${node.attrs.title || `/events/${node.attrs.slug}`}`
		];
	},
	...createAtomBlockMarkdownSpec({ nodeName: 'eventCard', name: 'event', requiredAttributes: ['slug'], allowedAttributes: ['slug'] })
});

export function richTextExtensions(): AnyExtension[] {
	return [
		StarterKit.configure({
			heading: { levels: [1, 2, 3, 4] },
			// Markdown has no underline; the public renderer would show its markers.
			underline: false,
			link: {
				openOnClick: false,
				autolink: true,
				defaultProtocol: 'https',
				protocols: ['mailto', 'tel'],
				isAllowedUri: (url) => isAllowedHref(url)
			}
		}),
		Image.configure({ inline: false, allowBase64: false }),
		EventCard,
		Markdown.configure({ indentation: { style: 'space', size: 2 } })
	];
}

/**
 * The editor's Markdown as stored: without the empty paragraph the editor keeps after a last
 * image or card (so there is somewhere to type), which it writes as `&nbsp;`.
 */
export function storedMarkdown(markdown: string): string {
	return markdown.replace(/(\s*&nbsp;)+\s*$/, '').trimEnd();
}
