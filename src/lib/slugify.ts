/**
 * Text → URL slug: "Troll 2: the Sing-Along!" → "troll-2-the-sing-along". Shared by the server
 * (the slug stored when the field is left empty) and the editors in the browser (which show that
 * same slug as a live suggestion), so the two never disagree.
 */
export function slugify(text: string, max = 60): string {
	const slug = text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, max)
		.replace(/-+$/g, '');
	return slug || 'item';
}
