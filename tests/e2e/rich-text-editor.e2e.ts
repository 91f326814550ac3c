/**
 * The rich text editor in Chromium, signed in as an editor on a custom domain: a page written
 * with the toolbar and the keyboard (heading, bold, list, link), an image pasted as a file (alt
 * text asked for, uploaded through the media pipeline), an event card; saved and shown publicly
 * with srcset/sizes and its alt. The same page saved again without JavaScript (the textarea) and
 * with the editor untouched keeps its Markdown byte for byte. Hostile and Word/Google Docs pastes;
 * another site's image refused; axe-core finds nothing serious on the editor and its dialogs;
 * screenshots at 320 px and on a desktop.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { db } from '../../src/lib/server/db';
import { page as pageTable } from '../../src/lib/server/db/schema';
import { setPrimaryDomain } from '../../src/lib/server/queries/sites';
import { RENDER_VERSION } from '../../src/lib/server/rich-text-version';
import { duplicateIds, hasChromium, horizontalOverflow, launchChromium } from '../support/browser';
import { useTestDatabase } from '../support/db';
import { createAsset, createDomain, createEvent, createMember, createSite } from '../support/factories';
import { ensureDiscordUser, startHubWithDiscord, type HubWithDiscord } from '../support/sign-in';
import { png } from '../support/images';

const HOST = 'e2e-editor.example';
const SHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/editor-screenshots';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now (dialogs included). */
async function axeViolations(page: Page): Promise<string[]> {
	// Evaluated through the DevTools protocol: the page's Content-Security-Policy stays on.
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
	const result = await page.evaluate(async () => {
		const axe = (
			window as unknown as {
				axe: {
					run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
				};
			}
		).axe;
		return axe.run(document, { resultTypes: ['violations'] });
	});
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The rich text editor's text box. Before the editor's module has loaded, the plain textarea is a
 * text box named "Text" too, so the role alone would match it and race the editor.
 */
const editorBox = (page: Page) => page.getByRole('textbox', { name: 'Text' }).and(page.locator('.rte-text'));

/** A toolbar button, then back in the text as a person would be (the editor refocuses in the next frame). */
async function tool(page: Page, name: string) {
	await page.getByRole('button', { name, exact: true }).click();
	await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('rte-text'))).toBe(true);
}

/** A paste event as the browser sends it, with files or HTML on its clipboard. */
async function paste(page: Page, data: { html?: string; text?: string; file?: { base64: string; name: string; type: string } }) {
	await page.locator('.rte-text').evaluate((el, d) => {
		const transfer = new DataTransfer();
		if (d.html) transfer.setData('text/html', d.html);
		if (d.text) transfer.setData('text/plain', d.text);
		if (d.file) {
			const bytes = Uint8Array.from(atob(d.file.base64), (c) => c.charCodeAt(0));
			transfer.items.add(new File([bytes], d.file.name, { type: d.file.type }));
		}
		el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
	}, data);
}

describe.runIf(inject('templateDatabase') && hasChromium)('rich text editor in Chromium', () => {
	const tdb = useTestDatabase();
	let hub: HubWithDiscord;
	let browser: Browser;
	let otherAsset: { slug: string; id: string };
	let editorId: string;
	let pageId: string;
	const origin = () => `http://${HOST}:${hub.port}`;
	const pageErrors: string[] = [];

	beforeAll(async () => {
		const site = await createSite({ name: 'Projector Club', timezone: 'Europe/Berlin' });
		await setPrimaryDomain(site.id, (await createDomain(site.id, HOST)).id);
		await createEvent(site, { slug: 'cult-classics', title: 'Cult Classics Night', venueName: 'Basement' });
		const other = await createSite({ name: 'Someone Else' });
		otherAsset = { slug: other.slug, id: (await createAsset(other)).id };
		editorId = (await createMember(site, 'editor', { name: 'Rita Writer' })).discordId;
		hub = await startHubWithDiscord({ env: { DATABASE_URL: tdb.url! } });
		ensureDiscordUser(hub.discord, editorId, { global_name: 'Rita Writer' });
		browser = await launchChromium();
		mkdirSync(SHOTS, { recursive: true });
	});
	afterEach(() => {
		expect(pageErrors.splice(0)).toEqual([]);
	});
	afterAll(async () => {
		await browser?.close();
		await hub?.stop();
	});

	async function signedIn(
		javaScriptEnabled: boolean,
		viewport = { width: 1280, height: 900 },
		bypassCSP = false
	): Promise<{ context: BrowserContext; page: Page }> {
		const context = await browser.newContext({ viewport, javaScriptEnabled, bypassCSP });
		const page = await context.newPage();
		page.on('pageerror', (e) => pageErrors.push(String(e)));
		// Failed requests are reported as responses below (the favicon, never reported to tests, is not ours to check).
		page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && pageErrors.push(m.text()));
		// A form post may rightly fail (400 with the errors); a page or image must not.
		page.on('response', (r) => r.status() >= 400 && r.request().method() === 'GET' && pageErrors.push(`${r.status()} ${r.url()}`));
		await page.goto(`${origin()}/login?next=%2Fadmin`);
		await page.getByRole('button', { name: 'Sign in with Discord' }).click();
		await page.waitForURL((u) => u.origin === hub.discord.origin);
		await page.getByLabel('Rita Writer').check();
		await page.getByRole('button', { name: 'Authorize' }).click();
		await page.waitForURL(`${origin()}/admin`);
		return { context, page };
	}

	const storedPage = async () => (await db().select().from(pageTable).where(eq(pageTable.id, pageId)))[0]!;

	it('writes a page with a heading, a list, a link, a pasted image and an event card; visitors see them', async () => {
		const { context, page } = await signedIn(true);
		await page.goto(`${origin()}/admin/pages/new`);
		await page.getByLabel('Title', { exact: true }).fill('Our story');
		const text = editorBox(page);
		await text.waitFor();
		// The editor replaced the textarea, which stays in the form (hidden) for the post.
		expect(await page.locator('textarea[name="body"]').isHidden()).toBe(true);
		expect(await duplicateIds(page)).toEqual([]);

		await text.click();
		await tool(page, 'Heading');
		expect(await page.getByRole('button', { name: 'Heading', exact: true }).getAttribute('aria-pressed')).toBe('true');
		await page.keyboard.type('Who we are');
		await page.keyboard.press('Enter');
		await page.keyboard.type('We show ');
		await page.keyboard.press('Control+b');
		await page.keyboard.type('bad');
		expect(await page.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed')).toBe('true');
		await page.keyboard.press('Control+b');
		await page.keyboard.type(' films. Read our manifesto');
		for (let i = 0; i < 'manifesto'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
		await page.keyboard.press('Control+k');
		const linkDialog = page.getByRole('dialog', { name: 'Link' });
		await linkDialog.getByLabel('Web address').fill('javascript:alert(1)');
		await linkDialog.getByLabel('Web address').press('Enter');
		await linkDialog.getByRole('alert').waitFor();
		await linkDialog.getByLabel('Web address').fill('https://example.org/manifesto');
		await linkDialog.getByLabel('Web address').press('Enter');
		await page.keyboard.press('End');
		await page.keyboard.press('Enter');
		await tool(page, 'Bulleted list');
		await page.keyboard.type('popcorn');
		await page.keyboard.press('Enter');
		await page.keyboard.type('heckling');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Enter');
		// The live region said what the toolbar did.
		expect(await page.locator('.rte [role="status"]').textContent()).toContain('Bulleted list on');

		// A pasted image file: the dialog asks for its description before anything is uploaded.
		const image = (await png(1800, 900)).toString('base64');
		await paste(page, { file: { base64: image, name: 'projector.png', type: 'image/png' } });
		const imageDialog = page.getByRole('dialog', { name: 'Insert an image' });
		await imageDialog.waitFor();
		expect(await axeViolations(page)).toEqual([]);
		await page.screenshot({ path: `${SHOTS}/editor-image-dialog-desktop.png` });
		await imageDialog.getByRole('button', { name: 'Insert' }).click();
		expect(await imageDialog.getByRole('alert').textContent()).toContain('Describe the image');
		await imageDialog.getByLabel('Description (alt text)').fill('Our projector');
		await imageDialog.getByRole('button', { name: 'Insert' }).click();
		await page.locator('.rte-text img[alt="Our projector"]').waitFor();
		expect(await page.locator('.rte [role="status"]').textContent()).toContain('Image inserted');

		await page.getByRole('button', { name: 'Event card' }).click();
		const eventDialog = page.getByRole('dialog', { name: 'Insert an event card' });
		await eventDialog.getByLabel('Event').selectOption('cult-classics');
		await eventDialog.getByRole('button', { name: 'Insert' }).click();
		await page.locator('.rte-text .editor-event-card').waitFor();

		// The toolbar is one tab stop with arrow keys inside (roving focus).
		await page.getByRole('button', { name: 'Heading', exact: true }).focus();
		await page.keyboard.press('ArrowRight');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Subheading');
		expect(await page.locator('.rte-toolbar button[tabindex="0"]').count()).toBe(1);
		expect(await axeViolations(page)).toEqual([]);
		await page.screenshot({ path: `${SHOTS}/editor-desktop.png`, fullPage: true });

		// The editor's code came with a dynamic import: scripts the page did not preload.
		const lazyChunks = await page.evaluate(() => {
			const preloaded = new Set([...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => (l as HTMLLinkElement).href));
			return performance
				.getEntriesByType('resource')
				.map((e) => e.name)
				.filter((u) => u.endsWith('.js') && !preloaded.has(u));
		});
		expect(lazyChunks.length).toBeGreaterThan(0);

		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\/admin\/pages\/[0-9a-f-]{36}\?saved=1$/);
		pageId = new URL(page.url()).pathname.split('/').pop()!;
		const row = await storedPage();
		expect(row.body).toContain('## Who we are');
		expect(row.body).toContain('We show **bad** films. Read our [manifesto](https://example.org/manifesto)');
		expect(row.body).toMatch(/^- popcorn\n- heckling$/m);
		expect(row.body).toMatch(new RegExp(`!\\[Our projector\\]\\(/media/sites/[a-z0-9-]+/page/[0-9a-f-]{36}-\\d+\\.webp\\)`));
		expect(row.body).toContain(':::event {slug="cult-classics"} :::');
		expect(row.renderVersion).toBe(RENDER_VERSION);
		expect(row.html).toContain('srcset=');

		await page.goto(`${origin()}/our-story`);
		expect(await page.getByRole('heading', { level: 2, name: 'Who we are' }).count()).toBe(1);
		expect(await page.locator('main strong', { hasText: 'bad' }).count()).toBe(1);
		expect(await page.getByRole('listitem').filter({ hasText: 'popcorn' }).count()).toBe(1);
		expect(await page.getByRole('link', { name: 'manifesto' }).getAttribute('href')).toBe('https://example.org/manifesto');
		const img = page.getByAltText('Our projector');
		expect(await img.getAttribute('srcset')).toMatch(/-480\.webp 480w, .*-960\.webp 960w, .*-1600\.webp 1600w/);
		expect(await img.getAttribute('sizes')).toBeTruthy();
		await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
		expect(await page.getByRole('link', { name: /Cult Classics Night/ }).getAttribute('href')).toBe('/events/cult-classics');
		// Public pages never load the editor's code.
		const publicScripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
		expect(publicScripts.filter((u) => lazyChunks.includes(u))).toEqual([]);
		await context.close();
	});

	it('the same page saved without JavaScript, and with the editor untouched, keeps its Markdown exactly', async () => {
		const before = await storedPage();
		const plain = await signedIn(false);
		await plain.page.goto(`${origin()}/admin/pages/${pageId}`);
		const textarea = plain.page.locator('textarea[name="body"]');
		expect(await textarea.isVisible()).toBe(true);
		expect(await textarea.inputValue()).toBe(before.body);
		await plain.page.getByRole('button', { name: 'Save changes' }).click();
		await plain.page.waitForURL(/\?saved=1$/);
		expect((await storedPage()).body).toBe(before.body);
		await plain.context.close();

		const rich = await signedIn(true);
		await rich.page.goto(`${origin()}/admin/pages/${pageId}`);
		await editorBox(rich.page).waitFor();
		await rich.page.getByRole('button', { name: 'Save changes' }).click();
		await rich.page.waitForURL(/\?saved=1$/);
		const after = await storedPage();
		expect(after.body).toBe(before.body);
		expect(after.html).toBe(before.html);
		await rich.context.close();
	});

	it('pasted hostile HTML stores and runs nothing; Word and Google Docs pastes keep their meaning', async () => {
		// The page's Content-Security-Policy off: what keeps scripts out must be the editor and the sanitizer.
		const { context, page } = await signedIn(true, undefined, true);
		const dialogs: string[] = [];
		page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
		await page.goto(`${origin()}/admin/pages/new`);
		await page.getByLabel('Title', { exact: true }).fill('Pasted');
		await page.locator('.rte-text').click();
		await paste(page, {
			html:
				'<p onclick="window.__xss=1">Safe words</p><script>window.__xss=2</script><img src="x" onerror="window.__xss=3">' +
				'<a href="javascript:window.__xss=4">evil link</a><iframe src="javascript:window.__xss=5"></iframe>' +
				'<p><a href="https://example.org/ok" onmouseover="window.__xss=6">good link</a></p>' +
				// Google Docs: the whole clipboard in a "not bold" <b>, bold and italic as styles.
				'<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234"><p dir="ltr"><span style="font-weight:700;">Docs bold</span>' +
				'<span style="font-weight:400;"> and </span><span style="font-style:italic;">docs italic</span></p></b>' +
				// Word: list items as paragraphs with typed bullets.
				'<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>Word one<o:p></o:p></p>' +
				'<p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>Word two<o:p></o:p></p>'
		});
		await page.locator('.rte-text li', { hasText: 'Word two' }).waitFor();
		expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.waitForURL(/\?saved=1$/);
		const [row] = await db().select().from(pageTable).where(eq(pageTable.slug, 'pasted'));
		expect(row!.body).not.toMatch(/javascript:|<script|onerror|onclick|onmouseover|<iframe/i);
		expect(row!.html).not.toMatch(/javascript:|<script|\son\w+=|<iframe/i);
		expect(row!.body).toContain('Safe words');
		expect(row!.body).toContain('[good link](https://example.org/ok)');
		expect(row!.body).toContain('**Docs bold** and *docs italic*');
		expect(row!.body).not.toContain('**Docs bold and');
		expect(row!.body).toMatch(/^- Word one\n- Word two$/m);

		await page.goto(`${origin()}/pasted`);
		await page.getByText('Safe words').click();
		await page.getByRole('link', { name: 'good link' }).hover();
		expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
		expect(dialogs).toEqual([]);
		await context.close();
	});

	it('refuses another site’s image typed into the textarea (no JavaScript): error on the field, nothing saved', async () => {
		const { context, page } = await signedIn(false);
		await page.goto(`${origin()}/admin/pages/${pageId}`);
		const before = await storedPage();
		const foreign = `![stolen](/media/sites/${otherAsset.slug}/event/${otherAsset.id}-480.webp)`;
		await page.locator('textarea[name="body"]').fill(`${before.body}\n\n${foreign}\n`);
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.getByText('is not from this site’s media library').waitFor();
		expect(await page.locator('textarea[name="body"]').getAttribute('aria-invalid')).toBe('true');
		expect((await storedPage()).body).toBe(before.body);
		await context.close();
	});

	it('fits a 320 px phone, axe-clean, on the homepage and event editors too', async () => {
		const { context, page } = await signedIn(true, { width: 320, height: 720 });
		await page.goto(`${origin()}/admin/pages/${pageId}`);
		await editorBox(page).waitFor();
		await page.locator('.rte-text img').first().waitFor();
		const overflow = await horizontalOverflow(page);
		expect(overflow.scrollWidth, overflow.offenders.join(', ')).toBeLessThanOrEqual(overflow.innerWidth);
		await page.screenshot({ path: `${SHOTS}/editor-320.png`, fullPage: true });
		await page.getByRole('button', { name: 'Image' }).click();
		await page.getByRole('dialog', { name: 'Insert an image' }).getByRole('button', { name: 'Our projector' }).waitFor();
		await page.screenshot({ path: `${SHOTS}/editor-image-dialog-320.png` });
		expect(await axeViolations(page)).toEqual([]);
		await page.keyboard.press('Escape');

		for (const path of ['/admin/homepage', '/admin/events/new']) {
			await page.goto(`${origin()}${path}`);
			await page.locator('.rte-text').waitFor();
			expect(await axeViolations(page), path).toEqual([]);
		}
		await context.close();
	});
});
