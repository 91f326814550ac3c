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
 * - the screens of the site admin with data on them (Branding, Links, Media, Domains, Members
 *   with a waiting invitation, a series) have no English left in French, nor in German, and
 *   nothing is wider than a 320 px phone.
 *
 * SCREENSHOT_DIR=<dir> saves the translated public page and admin screens for a visual check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { catalogue, englishPieces, pageText } from '../support/catalogue';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { DEMO_SITES, seedDemoIdentities, seedDemoSite } from '../../src/lib/server/seed/demo';
import { DEMO_IDENTITIES } from '../../src/lib/server/seed/identities';
import { saveSeries } from '../../src/lib/server/services/series';
import * as f from '../support/factories';
import { jpeg } from '../support/images';

const SITE = 'night-market';
const ORGANISER = DEMO_IDENTITIES.find((p) => p.roles[SITE] === 'owner')!;

async function shot(page: Page, name: string) {
	const dir = process.env.SCREENSHOT_DIR;
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

const ENGLISH_DATE_WORDS =
	/\b(January|February|March|May|June|July|October|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;
const GERMAN_DATE_WORDS =
	/\b(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan\.|Feb\.|Okt\.|Dez\.|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Mo\.|Di\.|Mi\.|Do\.|Fr\.|Sa\.|So\.)/;

describe.runIf(inject('templateDatabase') && hasChromium)('languages in Chromium (German demo site)', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let seriesId: string;
	const origin = () => `http://${SITE}.hub.test:${hub.port}`;

	beforeAll(async () => {
		const site = await seedDemoSite(DEMO_SITES.find((s) => s.slug === SITE)!);
		await seedDemoIdentities();
		// A series with German texts (the site's content is German; only the admin around it is French).
		const editor = await f.actorOn(site, await f.createMember(site, 'editor', { name: 'Lena Vogel' }), 'editor');
		const monday = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
		seriesId = (
			await saveSeries(editor, null, {
				title: 'Nachtflohmarkt',
				slug: 'nachtflohmarkt',
				startDate: monday,
				startTime: '19:00',
				endTime: '23:00',
				venueName: 'Hinterhof',
				repeat: 'weekly',
				repeatEnds: 'count',
				repeatCount: '6',
				intent: 'publish'
			})
		).id;
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

	/**
	 * English words that a leftover text would bring (whole words, so French and German words
	 * that start alike do not count); the catalogue pieces above miss short texts like "Save".
	 */
	const ENGLISH_WORDS =
		/\b(the|and|your|with|for|this|yet|Save|Delete|Remove|Upload|Add|Invite|Domain|Colours?|Fonts?|Links?|Members?|Branding|Preview|Verify|Series|Revoke|Copy|Owner|Editor|None|Light|Dark|Heading|Label|Address|Platform|Social|Waiting|Next|Changed|Which)\b/g;
	/** Each English word found, with the text around it (to see where it comes from). */
	const englishWords = (text: string, sameInThatLanguage: string[] = []) =>
		[...text.matchAll(ENGLISH_WORDS)]
			.filter((w) => !sameInThatLanguage.includes(w[0]))
			.map((w) => text.slice(Math.max(0, w.index - 40), w.index + w[0].length + 40).replace(/\s+/g, ' '));
	/** The English pieces of these areas, less those inside a word of the other language ("Domain" in "Domaines"); the words above catch those. */
	const leftoverPieces = (areas: string[], other: string) => {
		const theirs = areas.flatMap((area) => [...catalogue(`${area}${other}.json`).values()].flat()).join('\n');
		return areas.flatMap((area) => englishPieces(area, other)).filter((piece) => !theirs.includes(piece));
	};

	it('shows the site admin screens in French with data on them (and in German), nothing wider than a phone', async () => {
		const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
		const page = await signIn(context);
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');

		// Data on every screen, through the screens themselves (their notices are checked too).
		await page.goto(`${origin()}/admin/media`);
		await page.locator('#image').setInputFiles({ name: 'lampions.jpg', mimeType: 'image/jpeg', buffer: await jpeg(900, 600) });
		await page.locator('#altText').fill('Lampions au-dessus des stands');
		await page.getByRole('button', { name: 'Téléverser', exact: true }).click();
		await page.waitForURL(/uploaded=1/);
		expect(await page.getByRole('status').textContent()).toBe('Image téléversée.');
		await page.goto(`${origin()}/admin/domains`);
		await page.getByLabel('Nom de domaine', { exact: true }).fill('10.0.0.1');
		await page.getByRole('button', { name: 'Ajouter le domaine' }).click();
		await expect.poll(() => page.getByText('pas d’adresse IP').count()).toBe(1);
		await page.getByLabel('Nom de domaine', { exact: true }).fill('nachtmarkt.example.org');
		await page.getByRole('button', { name: 'Ajouter le domaine' }).click();
		await page.waitForURL(/done=added/);
		await page.goto(`${origin()}/admin/members`);
		await page.getByRole('button', { name: 'Créer l’invitation' }).click();
		await expect.poll(() => page.locator('[data-invite-url]').count()).toBe(1);

		const english = leftoverPieces(['site-admin/', 'admin/'], 'fr');
		expect(english.length).toBeGreaterThan(150);
		const screens = [
			'/admin/branding',
			'/admin/links',
			'/admin/media',
			'/admin/domains',
			'/admin/members',
			`/admin/events/series/${seriesId}`
		];
		for (const p of screens) {
			await page.goto(`${origin()}${p}`);
			const text = await pageText(page);
			expect(
				english.filter((piece) => text.includes(piece)),
				p
			).toEqual([]);
			expect(englishWords(text), p).toEqual([]);
		}
		// The data is there: the pieces above were looked for on full screens.
		await page.goto(`${origin()}/admin/members`);
		expect(await pageText(page)).toMatch(/lien à usage unique[\s\S]*Lena Vogel|Lena Vogel[\s\S]*lien à usage unique/);
		await page.goto(`${origin()}/admin/domains`);
		expect(await pageText(page)).toContain('En attente de vérification');
		await page.goto(`${origin()}/admin/events/series/${seriesId}`);
		expect(await pageText(page)).toContain('6 à venir');

		// On a 320 px phone long French words wrap instead of widening the page.
		await page.setViewportSize({ width: 320, height: 800 });
		for (const p of screens) {
			await page.goto(`${origin()}${p}`);
			expect(await page.evaluate(() => document.documentElement.scrollWidth), p).toBeLessThanOrEqual(320);
			if (p === '/admin/domains' || p === '/admin/members') await shot(page, `admin-fr-320${p.replaceAll('/', '-')}`);
		}
		await page.setViewportSize({ width: 1280, height: 900 });

		// German, chosen in the picker: the same holds for its catalogue.
		await page.goto(`${origin()}/admin/domains`);
		await page.getByLabel('Langue').selectOption('de');
		await page.getByRole('button', { name: 'Changer' }).click();
		await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('de');
		const englishDe = leftoverPieces(['site-admin/', 'admin/'], 'de');
		for (const p of ['/admin/domains', '/admin/members']) {
			await page.goto(`${origin()}${p}`);
			const text = await pageText(page);
			expect(
				englishDe.filter((piece) => text.includes(piece)),
				p
			).toEqual([]);
			// "Links" and "Domain" are German words too.
			expect(englishWords(text, ['Link', 'Links', 'Domain']), p).toEqual([]);
		}
		expect(await pageText(page)).toContain('Offene Einladungen');
		await context.close();
	});
});
