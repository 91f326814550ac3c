/** The one text → HTML/XML escaper: for markup written as strings (plain pages, feeds, sitemaps). */
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ENTITY[c]!);
}
