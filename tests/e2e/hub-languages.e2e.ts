/**
 * The hub in the super admin's language, in Chromium: a super admin whose browser asks for French
 * (Accept-Language, no choice made yet) goes through the landing page, "my sites", the panel's site list (with a
 * refused site creation), a site's page (suspending it), the Jobs screen (a queued job of a known
 * kind and a failed one), the activity feed and the error page. No screen may show a piece of the English hub or
 * admin catalogue, nor a common English word — the check that caught these screens' literals.
 *
 * Each screen at 320 px: no sideways scrolling, no serious axe-core finding. SCREENSHOT_DIR=<dir>
 * saves each for a visual check.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { englishPieces, pageText } from '../support/catalogue';
import { createDomain, createSite, createUser } from '../support/factories';
import { signIn, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { database } from '../../src/lib/server/db';
import { newBoss } from '../../src/lib/server/jobs/queue';
import { setMembership } from '../../src/lib/server/queries/members';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';

const SUPER = '444444444444444444';
const HUB = 'hub.test';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * English words that give away an untranslated text and are not French words too ("site",
 * "actions", "pages", "Discord" are): what the screens said before they were translated.
 */
const ENGLISH_WORDS =
	/\b(the|and|your|with|you|of|to|here|Hello|Save|Delete|Create|Suspend|Suspended|Resume|Retry|Cancel|Open|Jobs?|Job|State|Attempt|Created|Queued|Running|Failed|Domains|Members|Primary|Verified|Pending|Attach|Detach|Sign|Search|Activity|Owner|Editor)\b/;

/** axe-core in the page: serious and critical violations (none expected). */
async function axe(page: Page): Promise<string[]> {
	await page.addScriptTag({ path: AXE });
	return page.evaluate(async () => {
		type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
		const r = await (window as unknown as { axe: { run: (o: object) => Promise<Result> } }).axe.run({ resultTypes: ['violations'] });
		return r.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	});
}

describe.runIf(inject('templateDatabase') && hasChromium)('the hub in French (Chromium)', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let cookie: string;
	const hubOrigin = () => `http://${HUB}:${hub.port}`;

	beforeAll(async () => {
		const site = await createSite({ name: 'Ciné Lumière', slug: 'cine-lumiere' });
		await setPrimaryDomain(site.id, (await createDomain(site.id, 'cine-lumiere.example')).id);
		await createDomain(site.id, 'attente.example', false);
		const person = await createUser({ name: 'Camille Dupont', discordId: SUPER });
		await setMembership(site.id, person.id, 'owner');
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url!, SUPER_ADMIN_DISCORD_IDS: SUPER } });
		cookie = await signIn(hub, HUB, SUPER);
		// Two jobs for the Jobs screen: a mail waiting for its time, and one that failed for good.
		const boss = newBoss(database(), { supervise: false, schedule: false });
		await boss.start();
		if (!(await boss.getQueue('mail.send'))) await boss.createQueue('mail.send');
		await boss.send('mail.send', { to: 'x@example.org' }, { startAfter: 3600 });
		await boss.createQueue('test.panne', { retryLimit: 0 });
		await boss.send('test.panne', {});
		const [job] = await boss.fetch('test.panne');
		await boss.fail('test.panne', job!.id, { message: 'connexion refusée' });
		await boss.stop({ graceful: false, close: false });
		browser = await launchChromium();
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	it('shows my sites, the site list, a site, Jobs and Activity without English', async () => {
		const english = [...englishPieces('hub/', 'fr'), ...englishPieces('admin/', 'fr')];
		expect(english.length).toBeGreaterThan(100);
		// bypassCSP: only so that axe-core can be injected.
		const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 320, height: 800 }, bypassCSP: true });
		const page = await context.newPage();
		const dir = process.env.SCREENSHOT_DIR;
		const check = async (name: string) => {
			expect(await page.evaluate(() => document.documentElement.lang), name).toBe('fr');
			const text = await pageText(page);
			expect(
				english.filter((piece) => text.includes(piece)),
				name
			).toEqual([]);
			expect(text.match(ENGLISH_WORDS)?.[0], name).toBeUndefined();
			// An audit entry the feed cannot say shows as its code.
			expect(text.match(/\b(site|job)\.[a-z]+\b/)?.[0], name).toBeUndefined();
			expect((await horizontalOverflow(page)).offenders, name).toEqual([]);
			expect(await axe(page), name).toEqual([]);
			if (dir) {
				mkdirSync(dir, { recursive: true });
				await page.screenshot({ path: path.join(dir, `hub-fr-${name}.png`), fullPage: true });
			}
			return text;
		};

		// Signed out first (the cookies come after): the landing page in the browser's language too.
		await page.goto(`${hubOrigin()}/`);
		expect(await check('landing')).toContain('Des sites web pour les collectifs');
		await context.addCookies(
			cookie.split('; ').map((c) => {
				const [name, ...value] = c.split('=');
				return { name: name!, value: value.join('='), domain: HUB, path: '/' };
			})
		);
		await page.goto(`${hubOrigin()}/`);
		expect(await check('my-sites')).toContain('Ciné Lumière');

		// The site list, and a creation the service refuses (the address is taken): its errors too.
		await page.goto(`${hubOrigin()}/admin`);
		await check('sites');
		await page.locator('#name').fill('Doublon');
		await page.locator('#slug').fill('cine-lumiere');
		await page.locator('#timezone').fill('Mars/Olympus_Mons');
		await page.locator('form[action="?/create"] button[type="submit"]').click();
		await expect.poll(() => page.locator('#timezone').getAttribute('aria-invalid')).toBe('true');
		const refused = await check('create-refused');
		expect(refused).toContain('Choisissez un fuseau horaire');
		// The taken address is found once the rest of the form is right.
		await page.locator('#timezone').fill('Europe/Paris');
		await page.locator('form[action="?/create"] button[type="submit"]').click();
		await expect.poll(() => page.locator('#slug').getAttribute('aria-invalid')).toBe('true');
		expect(await check('create-taken')).toContain('Cette adresse est déjà prise');

		// A site's page: suspend it (the notice), with a pending and a primary domain listed.
		await page.goto(`${hubOrigin()}/admin/sites/cine-lumiere`);
		await check('site');
		await page.locator('form[action="?/suspend"] button').click();
		await page.waitForURL(/done=suspended/);
		await expect.poll(() => page.locator('form[action="?/resume"]').count()).toBe(1);
		const suspended = await check('site-suspended');
		expect(suspended).toContain('Ciné Lumière');

		// Jobs: readable names in French, the technical name beside them.
		await page.goto(`${hubOrigin()}/admin/jobs`);
		const jobs = await check('jobs');
		expect(jobs).toContain('mail.send');
		expect(jobs).toContain('test.panne');
		expect(jobs).toContain('connexion refusée');
		expect(jobs).toContain('Envoi d’un e-mail');
		await page.locator('tr', { hasText: 'test.panne' }).getByRole('button', { name: 'Relancer' }).click();
		await page.waitForURL(/done=retried/);
		expect(await check('jobs-retried')).toContain('Tâche remise en file d’attente');

		await page.goto(`${hubOrigin()}/admin/activity`);
		const activity = await check('activity');
		expect(activity).toContain('a suspendu le site cine-lumiere');
		expect(activity).toContain('a relancé la tâche test.panne');

		// The error page: no site at this address.
		expect((await page.goto(`${hubOrigin()}/admin/sites/nulle-part`))?.status()).toBe(404);
		expect(await check('no-site')).toContain('Page introuvable');
		await context.close();
	});
});
