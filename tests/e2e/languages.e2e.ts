/**
 * Languages in Chromium, on the German demo site (Night Market Sessions):
 *
 * - its public pages show no English UI text: every text of the English public catalogue
 *   (messages/en.json, where German says something else) is looked for in the rendered page —
 *   visible text, title, labels — and dates come out in German;
 * - its organiser, with a French browser, gets the admin in French (Accept-Language), keeps it
 *   after choosing it in the picker, and gets it again in a new session from an English browser;
 *   the public site stays German for them and for anonymous visitors (render cache included).
 *
 * SCREENSHOT_DIR=<dir> saves the translated public page and admin screen for a visual check.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { DEMO_SITES, seedDemoIdentities, seedDemoSite } from '../../src/lib/server/seed/demo';
import { DEMO_IDENTITIES } from '../../src/lib/server/seed/identities';

const MESSAGES = path.resolve(import.meta.dirname, '../../messages');
const SITE = 'night-market';
const ORGANISER = DEMO_IDENTITIES.find((p) => p.roles[SITE] === 'owner')!;

/** A catalogue's texts: plain strings and every variant of a plural. */
function catalogue(file: string): Map<string, string[]> {
	const json = JSON.parse(readFileSync(path.join(MESSAGES, file), 'utf8')) as Record<string, unknown>;
	const texts = (v: unknown): string[] =>
		typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap((x) => Object.values((x as { match: Record<string, string> }).match)) : [];
	return new Map(
		Object.entries(json)
			.filter(([k]) => k !== '$schema')
			.map(([k, v]) => [k, texts(v)])
	);
}

/**
 * The pieces of English UI text that would give away an untranslated string: each message's
 * literal parts around its {parameters}, long enough to mean something, and not also the
 * German (or French) text of that message ("Tickets", "Instagram" are the same word).
 */
function englishPieces(file: string, other: string): string[] {
	const en = catalogue(`${file}en.json`);
	const them = catalogue(`${file}${other}.json`);
	const pieces = new Set<string>();
	for (const [key, texts] of en) {
		const theirs = (them.get(key) ?? []).join(' ');
		for (const text of texts)
			for (const piece of text.split(/\{\w+\}/))
				if (piece.trim().length >= 6 && !theirs.includes(piece.trim()) && /[a-z]{3}/.test(piece)) pieces.add(piece.trim());
	}
	return [...pieces];
}

async function shot(page: Page, name: string) {
	const dir = process.env.SCREENSHOT_DIR;
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** What a reader (or a screen reader) gets from the page: its text, title and labels. */
const pageText = (page: Page) =>
	page.evaluate(() =>
		[
			document.title,
			document.body.innerText,
			...[...document.querySelectorAll('[aria-label], [alt], [title], [placeholder]')].flatMap((el) =>
				['aria-label', 'alt', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? '')
			)
		].join('\n')
	);

const ENGLISH_DATE_WORDS =
	/\b(January|February|March|May|June|July|October|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;
const GERMAN_DATE_WORDS =
	/\b(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan\.|Feb\.|Okt\.|Dez\.|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Mo\.|Di\.|Mi\.|Do\.|Fr\.|Sa\.|So\.)/;

describe.runIf(inject('templateDatabase') && hasChromium)('languages in Chromium (German demo site)', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	const origin = () => `http://${SITE}.hub.test:${hub.port}`;

	beforeAll(async () => {
		await seedDemoSite(DEMO_SITES.find((s) => s.slug === SITE)!);
		await seedDemoIdentities();
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, ORGANISER.discordId, { global_name: ORGANISER.name });
		browser = await launchChromium();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	async function signIn(context: BrowserContext): Promise<Page> {
		const page = await context.newPage();
		await page.goto(`${origin()}/admin`);
		await page.waitForURL(/\/login\?next=/);
		await page.locator('form[action="/api/auth/discord/start"] button').click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel(ORGANISER.name).check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin()}/admin`);
		return page;
	}

	it('shows the German public pages without an English UI text, dates in German', async () => {
		const english = englishPieces('', 'de');
		expect(english.length).toBeGreaterThan(40);
		// An English visitor's browser: the public site speaks the site's language, not theirs.
		const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
		const page = await context.newPage();
		for (const p of ['/', '/events', '/events/winter-market', '/events/autumn-market', '/gibt-es-nicht']) {
			const response = await page.goto(`${origin()}${p}`);
			expect([200, 404], p).toContain(response?.status());
			expect(await page.evaluate(() => document.documentElement.lang), p).toBe('de');
			const text = await pageText(page);
			expect(
				english.filter((piece) => text.includes(piece)),
				p
			).toEqual([]);
			expect(text, p).not.toMatch(ENGLISH_DATE_WORDS);
			if (p.startsWith('/events')) expect(text, p).toMatch(GERMAN_DATE_WORDS);
		}
		await page.goto(`${origin()}/events/winter-market`);
		await shot(page, 'public-de-event');
		await context.close();
	});

	it('shows the organiser the admin in French on the German site, remembered across sessions', async () => {
		const french = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
		const page = await signIn(french);
		// First guess from the browser's Accept-Language.
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
		await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Bon retour');
		// Choosing a language in the picker: German for a moment, then French again (a plain form post).
		await page.getByLabel('Langue').selectOption('de');
		await page.getByRole('button', { name: 'Changer' }).click();
		await page.waitForURL(`${origin()}/admin`);
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
		await page.getByLabel('Sprache').selectOption('fr');
		await page.getByRole('button', { name: 'Ändern' }).click();
		await page.waitForURL(`${origin()}/admin`);
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');

		// The dashboard has no English UI text left, and its dates are French.
		const english = englishPieces('admin/', 'fr');
		const text = await pageText(page);
		expect(english.filter((piece) => text.includes(piece))).toEqual([]);
		expect(text).toContain('Tableau de bord');
		expect(text).toContain('À venir');
		expect(text).toMatch(/\b(janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.)/);
		// Hydrated in French too: the client-side navigation to Events keeps the language.
		await page.getByRole('link', { name: 'Événements' }).first().click();
		await page.waitForURL(`${origin()}/admin/events`);
		await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Événements');
		await page.goto(`${origin()}/admin`);
		await shot(page, 'admin-fr-dashboard');

		// The public site is still German for the signed-in organiser.
		await page.goto(`${origin()}/events`);
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Veranstaltungen');
		await french.close();

		// A new session from an English browser: the choice stays.
		const english2 = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
		const again = await signIn(english2);
		expect(await again.evaluate(() => document.documentElement.lang)).toBe('fr');
		expect(await again.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(1);
		await english2.close();

		// And an anonymous visitor still gets the German page (no French or English one cached).
		const visitor = await browser.newContext({ locale: 'fr-FR' });
		const home = await visitor.newPage();
		await home.goto(`${origin()}/`);
		expect(await home.evaluate(() => document.documentElement.lang)).toBe('de');
		expect(await pageText(home)).toContain('Kalender abonnieren');
		await visitor.close();
	});
});
