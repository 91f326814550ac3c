/**
 * Right-to-left readiness: the stylesheets (the .css files and every component's <style>) use
 * logical properties — margin-inline-start, inset-inline-start, text-align: start… — so an
 * Arabic or Hebrew translation needs only its messages and `dir="rtl"` (app.html sets it from
 * the locale). A physical left/right property would stay on the wrong side there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const PHYSICAL = /(?:^|[\s;{])((?:margin|padding|border)-(?:left|right)(?:-[a-z]+)?|left|right|float|clear|text-align)\s*:\s*([^;}\n]*)/g;

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
		const p = path.join(dir, d.name);
		if (d.isDirectory()) return d.name === 'paraglide' ? [] : files(p);
		return /\.(css|svelte)$/.test(d.name) ? [p] : [];
	});
}

/** The CSS of a file: the whole .css file, or the <style> blocks of a component. */
function cssOf(file: string): string {
	const text = readFileSync(file, 'utf8');
	if (file.endsWith('.css')) return text;
	return [...text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
}

/** Physical declarations of a stylesheet (text-align/float/clear only with left or right). */
export function physicalDeclarations(css: string): string[] {
	return [...css.matchAll(PHYSICAL)]
		.filter(([, prop, value]) => !['text-align', 'float', 'clear'].includes(prop!) || /\b(left|right)\b/.test(value!))
		.map(([, prop, value]) => `${prop}: ${value!.trim()}`);
}

describe('logical CSS', () => {
	it('finds physical declarations when there are some (the check can fail)', () => {
		expect(
			physicalDeclarations('a { margin-left: 1px; text-align: right } b{left:0} c { text-align: start; inset-inline-start: 0 }')
		).toEqual(['margin-left: 1px', 'text-align: right', 'left: 0']);
	});

	it('no stylesheet of the app uses a physical left/right property', () => {
		const found = files(ROOT).flatMap((f) => physicalDeclarations(cssOf(f)).map((d) => `${path.relative(ROOT, f)}: ${d}`));
		expect(files(ROOT).length).toBeGreaterThan(20);
		expect(found).toEqual([]);
	});
});
