/**
 * The public site in Chromium at a 360 px phone width: nothing scrolls sideways, one h1 and no
 * skipped heading levels, landmarks, alt text on every image, a working skip link, a visible
 * focus ring, and text colours that meet WCAG AA on their background, for two demo collectives
 * with different themes (dark and light).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { duplicateIds, launchChromium } from '../support/browser';
import { startHub, type HubServer } from '../support/server';
import { useTestDatabase } from '../support/db';
import { DEMO_SITES, seedDemoSite } from '../../src/lib/server/seed/demo';

describe.runIf(inject('templateDatabase'))('public site in a browser', () => {
	const tdb = useTestDatabase();
	let hub: HubServer;
	let browser: Browser;

	beforeAll(async () => {
		for (const slug of ['bad-movies-theater', 'paper-cuts']) await seedDemoSite(DEMO_SITES.find((s) => s.slug === slug)!);
		hub = await startHub({ env: { DATABASE_URL: tdb.url! } });
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	async function open(slug: string, path: string, width = 360): Promise<Page> {
		const page = await browser.newPage({ viewport: { width, height: 740 } });
		const response = await page.goto(`http://${slug}.hub.test:${hub.port}${path}`);
		expect([200, 404]).toContain(response?.status());
		return page;
	}

	const PAGES: [string, string][] = [
		['bad-movies-theater', '/'],
		['bad-movies-theater', '/events'],
		['bad-movies-theater', '/events/troll-2-singalong'],
		['bad-movies-theater', '/events/plan-9-rooftop'],
		['bad-movies-theater', '/about'],
		['paper-cuts', '/'],
		['paper-cuts', '/events/zine-fair'],
		['paper-cuts', '/no-such-page']
	];

	for (const [slug, path] of PAGES) {
		it(`${slug}${path}: fits 360 px, headings, landmarks, alt text`, async () => {
			const page = await open(slug, path);
			const report = await page.evaluate(() => {
				const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
					.filter((h) => (h as HTMLElement).offsetParent !== null || getComputedStyle(h).position === 'absolute')
					.map((h) => Number(h.tagName[1]));
				const overflowing = [...document.querySelectorAll('body *')]
					.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.main-nav'))
					.map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
				return {
					scrollWidth: document.documentElement.scrollWidth,
					innerWidth: window.innerWidth,
					overflowing,
					levels,
					landmarks: ['header', 'nav', 'main', 'footer'].map((t) => document.querySelectorAll(t).length),
					imagesWithoutAlt: [...document.querySelectorAll('img')].filter((i) => !i.hasAttribute('alt')).length,
					title: document.title,
					lang: document.documentElement.lang
				};
			});
			expect(report.scrollWidth).toBeLessThanOrEqual(report.innerWidth);
			expect(report.overflowing).toEqual([]);
			expect(report.levels.filter((l) => l === 1)).toHaveLength(1);
			expect(report.levels[0]).toBe(1);
			for (let i = 1; i < report.levels.length; i++) expect(report.levels[i]! - report.levels[i - 1]!).toBeLessThanOrEqual(1);
			expect(report.landmarks.every((n) => n >= 1)).toBe(true);
			expect(report.imagesWithoutAlt).toBe(0);
			expect(await duplicateIds(page)).toEqual([]);
			expect(report.title).not.toBe('');
			expect(report.lang).toBe('en');
			await page.close();
		});
	}

	for (const slug of ['bad-movies-theater', 'paper-cuts']) {
		it(`${slug}: skip link first, visible focus, AA contrast`, async () => {
			const page = await open(slug, '/events', 1280);
			await page.keyboard.press('Tab');
			const skip = await page.evaluate(() => {
				const el = document.activeElement as HTMLElement;
				const style = getComputedStyle(el);
				const box = el.getBoundingClientRect();
				return { text: el.textContent?.trim(), outline: style.outlineStyle, outlineWidth: style.outlineWidth, top: box.top };
			});
			expect(skip.text).toBe('Skip to content');
			expect(skip.outline).not.toBe('none');
			expect(parseFloat(skip.outlineWidth)).toBeGreaterThanOrEqual(2);
			expect(skip.top).toBeGreaterThanOrEqual(0);
			await page.keyboard.press('Enter');
			expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

			const ratios = await page.evaluate(() => {
				// Any CSS colour syntax (rgb(), color(srgb …) from color-mix) → RGB, through a canvas.
				const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
				const rgb = (c: string) => {
					ctx.clearRect(0, 0, 1, 1);
					ctx.fillStyle = c;
					ctx.fillRect(0, 0, 1, 1);
					return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
				};
				const lum = (c: string) => {
					const [r, g, b] = rgb(c).map((v) => {
						const s = v / 255;
						return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
					});
					return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
				};
				const ratio = (a: string, b: string) => {
					const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
					return (x! + 0.05) / (y! + 0.05);
				};
				/** The first opaque background behind an element. */
				const background = (el: Element | null): string => {
					for (let e = el; e; e = e.parentElement) {
						const bg = getComputedStyle(e).backgroundColor;
						if (bg && bg !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(bg)) return bg;
					}
					return getComputedStyle(document.documentElement).backgroundColor;
				};
				const samples = [
					'.event-card h3 a',
					'.event-card .meta',
					'.page-head .lead',
					'.page-head .kicker',
					'.archive time',
					'.archive a',
					'.tag',
					'.site-footer a',
					'.site-footer h2',
					'.colophon',
					'.main-nav a',
					'.main-nav a[aria-current]',
					'.brand-name',
					'.date-badge .month',
					'.date-badge .weekday',
					'.section-head a'
				];
				return samples.flatMap((sel) =>
					[...document.querySelectorAll(sel)].slice(0, 2).map((el) => ({ sel, ratio: ratio(getComputedStyle(el).color, background(el)) }))
				);
			});
			expect(ratios.length).toBeGreaterThan(5);
			for (const { sel, ratio } of ratios) expect(ratio, sel).toBeGreaterThanOrEqual(4.5);
			await page.close();
		});
	}
});
