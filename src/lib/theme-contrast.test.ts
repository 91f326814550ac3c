/**
 * Every colour pair the public site draws (src/lib/components/site/site.css) meets WCAG AA for
 * normal text, whatever colours a site picks: text, muted text and accent links on the page and
 * on cards, text on accent buttons.
 */
import { describe, expect, it } from 'vitest';
import { AA_NORMAL, contrastRatio, themeColors, themeSchema } from './theme';

function* colours(): Generator<string> {
	// A deterministic spread over the colour cube, including greys around the black/white crossover.
	for (let r = 0; r <= 255; r += 51) for (let g = 0; g <= 255; g += 51) for (let b = 0; b <= 255; b += 51) yield hex(r, g, b);
	for (let v = 0x60; v <= 0x90; v += 4) yield hex(v, v, v);
}
const hex = (r: number, g: number, b: number) => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

describe('themeColors contrast', () => {
	it('meets AA for every pair the site uses, for any background, text and accent', () => {
		const all = [...colours()];
		const failures: string[] = [];
		for (const background of all) {
			for (const accent of all.filter((_, i) => i % 7 === 0)) {
				for (const text of [undefined, all[(all.indexOf(background) + 97) % all.length]]) {
					for (const mode of ['light', 'dark'] as const) {
						const c = themeColors(themeSchema.parse({ mode, background, accent, text }));
						const pairs: [string, string, string][] = [
							['text/bg', c.text, c.background],
							['text/surface', c.text, c.surface],
							['muted/bg', c.muted, c.background],
							['muted/surface', c.muted, c.surface],
							['accentText/bg', c.accentText, c.background],
							['accentText/surface', c.accentText, c.surface],
							['onAccent/accent', c.onAccent, c.accent],
							['bg/text (cancelled tag)', c.background, c.text]
						];
						for (const [name, fg, bg] of pairs) {
							if (contrastRatio(fg, bg) < AA_NORMAL)
								failures.push(
									`${name} ${fg} on ${bg} (${contrastRatio(fg, bg).toFixed(2)}) for bg ${background} accent ${accent} text ${text}`
								);
						}
					}
				}
			}
		}
		expect(failures.slice(0, 10)).toEqual([]);
	});

	it('keeps a chosen text colour when it is readable', () => {
		expect(themeColors(themeSchema.parse({ background: '#fff8ec', text: '#2a1a10' })).text).toBe('#2a1a10');
	});
});
