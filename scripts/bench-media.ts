/**
 * Media benchmark: prints ratios, asserts nothing (machines differ; see DESIGN.md).
 *
 *   npx tsx scripts/bench-media.ts          (SKIP_BUILD=1 reuses build/)
 *
 * 1. Pipeline overhead: one 12 MP JPEG through processUpload (sniff, concurrency gate, storage,
 *    database row) vs the same sharp calls alone. Target ≤ 1.3×.
 * 2. Page views during uploads: the built server (build/handler.js) runs in THIS process, as in
 *    production where form actions run in the server process, and 4 uploads are kept in flight
 *    through processUpload in the same process (same event loop, same libuv pool, same libvips)
 *    while a worker thread requests a public page. p99 latency loaded vs idle. Target ≤ 3×.
 *
 * Needs PostgreSQL (TEST_DATABASE_URL or 127.0.0.1:5432); a throw-away database is created and
 * dropped.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { createDatabase, dropDatabase, uniqueName, postgresReachable } from '../tests/support/postgres';
import { migratePostgresUrl } from '../src/lib/server/db/migrate';

const LOAD_CONNECTIONS = 4;
const WINDOW_MS = 8_000;
const UPLOADS_IN_FLIGHT = 4;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

function percentile(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** A photo-like 4000 × 3000 JPEG (smooth areas and texture, ~2–4 MB like a phone picture). */
async function twelveMegapixelJpeg(): Promise<Buffer> {
	const texture = await sharp({
		create: { width: 1000, height: 750, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } }
	})
		.png()
		.toBuffer();
	return sharp(texture).resize(4000, 3000, { kernel: 'cubic' }).blur(1.2).modulate({ saturation: 1.4 }).jpeg({ quality: 90 }).toBuffer();
}

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: ${LOAD_CONNECTIONS} });
function once() {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = http.request({ host: '127.0.0.1', port: workerData.port, path: workerData.path, agent, headers: { host: workerData.host } }, (res) => {
			res.resume();
			res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error('status ' + res.statusCode))));
		});
		req.on('error', reject);
		req.end();
	});
}
parentPort.on('message', async ({ ms }) => {
	const latencies = [];
	const deadline = performance.now() + ms;
	await Promise.all(Array.from({ length: ${LOAD_CONNECTIONS} }, async () => {
		while (performance.now() < deadline) latencies.push(await once());
	}));
	parentPort.postMessage(latencies);
});
`;

async function main() {
	if (!(await postgresReachable())) throw new Error('PostgreSQL is not reachable (TEST_DATABASE_URL or 127.0.0.1:5432)');
	if (process.env.SKIP_BUILD !== '1') {
		console.log('building the app…');
		execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	}

	const dbName = uniqueName('hub_bench');
	const url = await createDatabase(dbName);
	const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-'));
	let server: Server | undefined;
	let worker: Worker | undefined;
	try {
		await migratePostgresUrl(url);
		Object.assign(process.env, {
			NODE_ENV: 'production',
			DATABASE_URL: url,
			DATA_DIR: dataDir,
			PLATFORM_DOMAIN: 'hub.test',
			SEED_DEMO: 'false',
			RUN_MIGRATIONS: 'false',
			LOG_LEVEL: 'warn',
			MEDIA_DRIVER: 'local',
			BODY_SIZE_LIMIT: '16M'
		});
		// Imported after the environment is set: env() parses it once.
		const { openDatabase, closeDatabase } = await import('../src/lib/server/db');
		const { createSite } = await import('../src/lib/server/queries/sites');
		const { createEvent } = await import('../src/lib/server/queries/events');
		const { processUpload } = await import('../src/lib/server/media/upload');
		const { VARIANT_WIDTHS, WEBP_OPTIONS } = await import('../src/lib/server/media/image');
		const { env } = await import('../src/lib/server/env');
		await openDatabase();

		const site = await createSite({ slug: 'bench-club', name: 'Bench Club', tagline: 'Films on Fridays' });
		for (let i = 0; i < 10; i++) {
			const startsAt = new Date(Date.now() + (i + 1) * 86_400_000);
			await createEvent(site.id, {
				slug: `night-${i}`,
				title: `Movie night ${i}`,
				startsAt,
				venueName: 'The Basement',
				status: 'published'
			});
		}

		const jpeg = await twelveMegapixelJpeg();
		const meta = await sharp(jpeg).metadata();
		console.log(
			`\ninput: ${meta.width}×${meta.height} JPEG, ${(jpeg.length / 1024 / 1024).toFixed(1)} MB; ${cpus().length} CPUs, MEDIA_CONCURRENCY=${env().MEDIA_CONCURRENCY}`
		);
		const file = () => new File([jpeg], 'photo.jpg', { type: 'image/jpeg' });

		// ---- 1. pipeline vs the same sharp calls alone ----
		const widths = VARIANT_WIDTHS.event;
		const sharpAlone = async () => {
			const source = sharp(jpeg, { limitInputPixels: env().UPLOAD_MAX_PIXELS, animated: false });
			await source.metadata();
			for (const w of widths) await source.clone().rotate().resize({ width: w, withoutEnlargement: true }).webp(WEBP_OPTIONS).toBuffer();
		};
		const pipeline = async () => {
			await processUpload(site, 'event', file());
		};
		await pipeline(); // also sets sharp's concurrency and cache the way the server does
		await sharpAlone();
		const tPipe: number[] = [];
		const tSharp: number[] = [];
		for (let i = 0; i < 5; i++) {
			let t = performance.now();
			await sharpAlone();
			tSharp.push(performance.now() - t);
			t = performance.now();
			await pipeline();
			tPipe.push(performance.now() - t);
		}
		const ratio1 = median(tPipe) / median(tSharp);
		console.log('\n1. one 12 MP JPEG → WebP 1600/960/480 (median of 5)');
		console.log(`   sharp calls alone   ${median(tSharp).toFixed(0)} ms`);
		console.log(`   processUpload       ${median(tPipe).toFixed(0)} ms`);
		console.log(`   ratio               ${ratio1.toFixed(2)}×   (target ≤ 1.3×)`);

		// ---- 2. page views while uploads run ----
		const handlerUrl = pathToFileURL(path.resolve('build/handler.js')).href;
		const { handler } = (await import(handlerUrl)) as { handler: Parameters<typeof createServer>[1] };
		server = createServer(handler);
		await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
		const port = (server.address() as { port: number }).port;
		const host = 'bench-club.hub.test';
		worker = new Worker(LOAD_WORKER, { eval: true, workerData: { port, host, path: '/' } });
		const load = (ms: number) =>
			new Promise<number[]>((resolve, reject) => {
				worker!.once('message', resolve);
				worker!.once('error', reject);
				worker!.postMessage({ ms });
			});

		const check = await fetch(`http://127.0.0.1:${port}/healthz`);
		if (!check.ok) throw new Error('server not healthy');
		await load(4_000); // warm-up: JIT, connection pool, templates

		const idle1 = await load(WINDOW_MS);

		let uploading = true;
		let uploads = 0;
		const uploader = async () => {
			while (uploading) {
				await processUpload(site, 'event', file());
				uploads++;
			}
		};
		const uploaders = Array.from({ length: UPLOADS_IN_FLIGHT }, uploader);
		await new Promise((r) => setTimeout(r, 300)); // let the uploads get going
		const busy = await load(WINDOW_MS);
		uploading = false;
		await Promise.all(uploaders);

		const idle2 = await load(WINDOW_MS);

		const row = (name: string, xs: number[]) =>
			`   ${name.padEnd(22)} ${String(xs.length).padStart(6)} req  ${(xs.length / (WINDOW_MS / 1000)).toFixed(0).padStart(5)} req/s  p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(xs, 99).toFixed(1).padStart(6)} ms`;
		// Against the better idle window: the machine is shared, and a noisy idle window must not flatter the ratio.
		const idleP99 = Math.min(percentile(idle1, 99), percentile(idle2, 99));
		const ratio2 = percentile(busy, 99) / idleP99;
		console.log(`\n2. GET / on a site with 10 events, ${LOAD_CONNECTIONS} keep-alive connections, ${WINDOW_MS / 1000} s windows`);
		console.log(row('idle', idle1));
		console.log(row(`${UPLOADS_IN_FLIGHT} uploads in flight`, busy));
		console.log(row('idle again', idle2));
		console.log(`   uploads completed: ${uploads} (${UPLOADS_IN_FLIGHT} kept in flight during the loaded window)`);
		console.log(`   p99 ratio           ${ratio2.toFixed(2)}×   (loaded / best idle; target ≤ 3×)`);

		await closeDatabase();
	} finally {
		await worker?.terminate();
		server?.closeAllConnections();
		server?.close();
		process.emit('sveltekit:shutdown' as never, 'SIGTERM' as never);
		await new Promise((r) => setTimeout(r, 200));
		await dropDatabase(dbName).catch(() => {});
		rmSync(dataDir, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	}
);
