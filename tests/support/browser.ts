/**
 * Debian's Chromium for browser tests, driven by playwright-core (no browser download). Test
 * hostnames (*.test, *.example custom domains) resolve to loopback inside the browser.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
