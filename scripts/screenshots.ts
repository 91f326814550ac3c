/**
 * Screenshots of the public site for the README: builds the app (unless --no-build), starts
 * `node build` on the embedded database with the demo seed (no DATABASE_URL, SEED_DEMO=true, a
 * throw-away DATA_DIR), and captures pages of two demo collectives at desktop and phone widths in
 * Chromium. PNGs are recompressed losslessly with sharp (a palette would band the gradients).
 *
 *   tsx scripts/screenshots.ts [--no-build] [--out docs/screenshots] [--only public|admin|hub]
 *
 * Admin screens are captured signed in as a demo owner through the dev sign-in (DEV_LOGIN=true on a
 * development server), into <out>/admin/.
 *
 * CHROMIUM_PATH overrides the browser binary (default /usr/bin/chromium).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';

const args = process.argv.slice(2);
const outDir = args.includes('--out') ? args[args.indexOf('--out') + 1]! : 'docs/screenshots';

const SHOTS: { name: string; site: string; path: string; widths: number[] }[] = [
	{ name: 'bad-movies-home', site: 'bad-movies-theater', path: '/', widths: [1280, 390] },
	{ name: 'bad-movies-event', site: 'bad-movies-theater', path: '/events/troll-2-singalong', widths: [1280, 390] },
	{ name: 'bad-movies-cancelled', site: 'bad-movies-theater', path: '/events/plan-9-rooftop', widths: [390] },
	{ name: 'paper-cuts-home', site: 'paper-cuts', path: '/', widths: [1280, 390] },
	{ name: 'paper-cuts-event', site: 'paper-cuts', path: '/events/zine-fair', widths: [1280, 390] },
	{ name: 'paper-cuts-events', site: 'paper-cuts', path: '/events', widths: [1280] },
	{ name: 'night-market-home', site: 'night-market', path: '/', widths: [1280] }
];

/** Admin sections, signed in as the demo owner of Bad Movies Theater (see seed/identities.ts). */
const ADMIN_SITE = 'bad-movies-theater';
const ADMIN_OWNER = '100000000000000011';
const HUB_SUPER_ADMIN = '100000000000000001';
/**
 * `open`: the name of a link on `path` to follow first (editors live at URLs with row ids).
 * `prepare` runs on the section's page first (the demo has no domains or invitations) and may
 * leave the page showing a result; it must be safe to run again (once per width).
 */
const ADMIN_SHOTS: { name: string; path: string; open?: string; widths: number[]; prepare?: (page: Page) => Promise<void> }[] = [
	{ name: 'dashboard', path: '/admin', widths: [1280, 390] },
	{ name: 'events', path: '/admin/events', widths: [1280, 390] },
	{ name: 'event-editor', path: '/admin/events', open: 'Troll 2: the sing-along', widths: [1280, 390] },
	{ name: 'event-new', path: '/admin/events/new', widths: [1280, 390] },
	{ name: 'pages', path: '/admin/pages', widths: [1280, 390] },
	{ name: 'page-editor', path: '/admin/pages', open: 'About the club', widths: [1280, 390] },
	{ name: 'page-new', path: '/admin/pages/new', widths: [1280] },
	{ name: 'homepage', path: '/admin/homepage', widths: [1280, 390] },
	{ name: 'media', path: '/admin/media', widths: [1280, 390] },
	{ name: 'links', path: '/admin/links', widths: [1280, 390] },
	{ name: 'branding', path: '/admin/branding', widths: [1280, 390] },
	{ name: 'settings', path: '/admin/settings', widths: [1280, 390] },
	{ name: 'domains', path: '/admin/domains', widths: [1280, 390], prepare: addDemoDomains },
	{ name: 'members', path: '/admin/members', widths: [1280, 390], prepare: inviteDemoPeople }
];

/** A bare domain (A/AAAA records) and a subdomain (CNAME), both waiting for DNS (none here to verify). */
async function addDemoDomains(page: Page) {
	for (const hostname of ['badmovies.example', 'tickets.badmovies.example']) {
		if (await page.getByText(hostname, { exact: true }).count()) continue;
		await page.fill('#hostname', hostname);
		await Promise.all([page.waitForURL(/done=added/), page.getByRole('button', { name: 'Add domain' }).click()]);
	}
	await page.goto(page.url().replace(/\?.*$/, ''), { waitUntil: 'networkidle' });
}

/** One invitation by Discord id, then a one-time link, left on screen as it appears once. */
async function inviteDemoPeople(page: Page) {
	if (!(await page.getByText('80351110224678912').count())) {
		await page.fill('#invite-discord', '80351110224678912');
		await Promise.all([page.waitForURL(/done=invited/), page.getByRole('button', { name: 'Create invitation' }).click()]);
	}
	await page.selectOption('#invite-role', 'admin');
	await page.fill('#invite-discord', '');
	await page.getByRole('button', { name: 'Create invitation' }).click();
	await page.waitForSelector('#invite-url');
}

const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

async function startServer(): Promise<{ port: number; stop: () => void }> {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-shots-'));
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		HOME: process.env.HOME ?? tmpdir(),
		NODE_ENV: 'development',
		PORT: '0',
		HOST: '127.0.0.1',
		PLATFORM_DOMAIN: 'localhost',
		DATA_DIR: dataDir,
		SEED_DEMO: 'true',
		// The dev sign-in is refused in production (env.ts).
		DEV_LOGIN: 'true',
		LOG_LEVEL: 'warn',
		// Documentation addresses, so the Domains screen shows the A/AAAA records it would ask for.
		PUBLIC_IPV4: '203.0.113.10',
		PUBLIC_IPV6: '2001:db8::10'
	};
	const child = spawn(process.execPath, ['build/index.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(output);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
	});
	return {
		port,
		stop: () => {
			child.kill('SIGTERM');
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

async function main() {
	if (!args.includes('--no-build')) {
		execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	}
	mkdirSync(outDir, { recursive: true });
	const server = await startServer();
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run',
			'--font-render-hinting=none',
			'--host-resolver-rules=MAP *.localhost 127.0.0.1'
		]
	});
	const save = async (png: Buffer, file: string) => {
		mkdirSync(path.dirname(file), { recursive: true });
		writeFileSync(
			file,
			args.includes('--raw') ? png : await sharp(png).png({ compressionLevel: 9, adaptiveFiltering: true, effort: 10 }).toBuffer()
		);
	};
	try {
		if (only === undefined || only === 'admin') {
			const origin = `http://${ADMIN_SITE}.localhost:${server.port}`;
			for (const width of [1280, 390]) {
				const phone = width < 600;
				const context = await browser.newContext({ viewport: { width, height: phone ? 844 : 900 }, isMobile: phone, hasTouch: phone });
				const page = await context.newPage();
				await page.goto(`${origin}/login?next=/admin`);
				await page.locator(`form[action="/api/auth/dev/sign-in"]:has(input[value="${ADMIN_OWNER}"]) button`).click();
				await page.waitForURL(`${origin}/admin`);
				for (const shot of ADMIN_SHOTS.filter((s) => s.widths.includes(width))) {
					const response = await page.goto(origin + shot.path, { waitUntil: 'networkidle' });
					if (response?.status() !== 200) throw new Error(`${shot.path} answered ${response?.status()}`);
					if (shot.prepare) await shot.prepare(page);
					if (shot.open) {
						await page.getByRole('link', { name: shot.open, exact: true }).first().click();
						await page.waitForURL((u) => u.pathname !== shot.path);
						await page.waitForLoadState('networkidle');
					}
					const file = path.join(outDir, 'admin', `${shot.name}-${phone ? 'phone' : 'desktop'}.png`);
					await save(await page.screenshot({ fullPage: true }), file);
					console.log(`${file}  ${origin}${shot.path}`);
				}
				await context.close();
			}
		}
		if (only === undefined || only === 'hub') {
			// The hub (PLATFORM_DOMAIN=localhost): landing signed out, then as the demo super admin.
			const origin = `http://localhost:${server.port}`;
			for (const width of [1280, 390]) {
				const phone = width < 600;
				const suffix = phone ? 'phone' : 'desktop';
				const context = await browser.newContext({ viewport: { width, height: phone ? 844 : 900 }, isMobile: phone, hasTouch: phone });
				const page = await context.newPage();
				const capture = async (name: string, path_: string) => {
					const response = await page.goto(origin + path_, { waitUntil: 'networkidle' });
					if (response?.status() !== 200) throw new Error(`${path_} answered ${response?.status()}`);
					const file = path.join(outDir, 'hub', `${name}-${suffix}.png`);
					await save(await page.screenshot({ fullPage: true }), file);
					console.log(`${file}  ${origin}${path_}`);
				};
				await capture('landing', '/');
				await page.goto(`${origin}/login?next=/`);
				await page.locator(`form[action="/api/auth/dev/sign-in"]:has(input[value="${HUB_SUPER_ADMIN}"]) button`).click();
				await page.waitForURL(`${origin}/`);
				await capture('my-sites', '/');
				await capture('panel', '/admin');
				await capture('panel-search', '/admin?q=night');
				await capture('activity', '/admin/activity');
				await capture('site', `/admin/sites/${ADMIN_SITE}`);
				if (!phone) {
					await page.goto(`${origin}/sites/${ADMIN_SITE}/admin`, { waitUntil: 'networkidle' });
					await page.getByLabel('Open a site’s admin').pressSequentially('pa', { delay: 50 });
					await page.waitForTimeout(400);
					const file = path.join(outDir, 'hub', `site-admin-on-hub-${suffix}.png`);
					await save(await page.screenshot({ fullPage: false }), file);
					console.log(`${file}  ${origin}/sites/${ADMIN_SITE}/admin`);
				}
				await context.close();
			}
		}
		for (const shot of only === 'admin' || only === 'hub' ? [] : SHOTS) {
			for (const width of shot.widths) {
				const phone = width < 600;
				const page = await browser.newPage({
					viewport: { width, height: phone ? 844 : 900 },
					deviceScaleFactor: 1,
					isMobile: phone,
					hasTouch: phone
				});
				const url = `http://${shot.site}.localhost:${server.port}${shot.path}`;
				const response = await page.goto(url, { waitUntil: 'networkidle' });
				if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
				const png = await page.screenshot({ fullPage: true });
				await page.close();
				const file = path.join(outDir, `${shot.name}-${phone ? 'phone' : 'desktop'}.png`);
				await save(png, file);
				console.log(`${file}  ${url}`);
			}
		}
	} finally {
		await browser.close();
		server.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
