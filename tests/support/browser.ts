/**
 * Debian's Chromium for browser tests, driven by playwright-core (no browser download). Test
 * hostnames (*.test, *.example custom domains) resolve to loopback inside the browser.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			'--host-resolver-rules=MAP *.test 127.0.0.1, MAP *.example 127.0.0.1'
		]
	});
}

/** Ids that occur more than once on the page (a label or hint then points at the wrong field). */
export function duplicateIds(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const seen = new Map<string, number>();
		for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
		return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
	});
}

/** How wide the page is against the viewport, and the elements reaching past its right edge. */
export function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; offenders: string[] }> {
	return page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
		offenders: [...document.querySelectorAll('body *')]
			.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.main-nav, [hidden], .visually-hidden'))
			.slice(0, 8)
			.map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${String(el.className).split(' ').join('.')}`)
	}));
}
