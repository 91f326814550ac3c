/**
 * The worker process is SIGKILLed after Discord stored the announcement and before the answer
 * reached it (the fake Discord kills it right there). Another worker takes the job over when the
 * heartbeat stops, finds the message in the channel, records it: one post, never two. Real
 * processes, real SIGKILL, PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase } from '../../../../tests/support/db';
import * as f from '../../../../tests/support/factories';
import { startFakeDiscordApi, type FakeDiscordApi } from '../../../../tests/support/fake-discord-api';
import { closeDatabase, siteRead, useDatabase } from '../db';
import { resetEnvForTests } from '../env';
import { startJobs, stopJobs } from '../jobs';
import { getDiscordLink, saveDiscordSettings } from '../queries/discord';
import { saveEvent } from '../services/events';
import { write } from '../services/write';
import { systemActor } from '../services/actor';
import { discordJobs } from './jobs';
import { resetDiscordClients } from './api';

const hasPostgres = Boolean(inject('templateDatabase'));
const workers: ChildProcess[] = [];
let fake: FakeDiscordApi;
let url: string;
let drop: () => Promise<void>;

function startWorker(): Promise<ChildProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/support/discord-worker.ts')], {
		env: {
			...process.env,
			DATABASE_URL: url,
			LOG_LEVEL: 'warn',
			PLATFORM_DOMAIN: 'hub.test',
			PUBLIC_SCHEME: 'http',
			DISCORD_API_BASE_URL: fake.apiBase,
			DISCORD_BOT_CLIENT_ID: '323456789012345678',
			DISCORD_BOT_TOKEN: fake.botToken
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	workers.push(child);
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('worker ready')) resolve(child);
		});
		child.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
	});
}

describe.skipIf(!hasPostgres)('a Discord worker killed between send and record', () => {
	beforeAll(async () => {
		fake = await startFakeDiscordApi();
		const opened = await openTestDatabase('postgres');
		url = opened.url!;
		drop = opened.drop;
		useDatabase(opened.database);
		process.env.PLATFORM_DOMAIN = 'hub.test';
		resetEnvForTests();
		resetDiscordClients();
		// This process only produces jobs (the outbox), like a web process.
		await startJobs({ role: 'web', definitions: discordJobs });
	}, 60_000);
	afterAll(async () => {
		for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
		await stopJobs(1000);
		await closeDatabase().catch(() => {});
		await drop?.();
		await fake?.close();
	});

	it('posts once: the next worker finds the message in the channel and records it', { timeout: 90_000 }, async () => {
		const guild = fake.addGuild({ bot: true });
		const site = await f.createSite({ name: 'Killed Worker Club' });
		const editor = await f.actorOn(site, await f.createMember(site, 'editor'), 'editor');
		await write({ siteId: site.id, actor: systemActor() }, () =>
			saveDiscordSettings(site.id, {
				webhookId: guild.webhook.id,
				webhookToken: guild.webhook.token,
				webhookChannelId: guild.channelId,
				guildId: guild.guildId
			})
		);
		const first = await startWorker();
		let killed = false;
		fake.onCreate = async (what) => {
			if (what !== 'message' || killed) return;
			killed = true;
			// Discord has the message; its answer never reaches the worker.
			first.kill('SIGKILL');
			await new Promise((resolve) => first.once('exit', resolve));
		};
		const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
		const event = await saveEvent(editor, null, { title: 'Killed mid-post', startDate: day, startTime: '20:00', intent: 'publish' });
		await expect.poll(() => killed, { timeout: 20_000 }).toBe(true);
		expect((await siteRead(site.id, () => getDiscordLink(site.id, event.id)))?.messageState).toBe('sending');

		await startWorker();
		await expect
			.poll(async () => (await siteRead(site.id, () => getDiscordLink(site.id, event.id)))?.messageState, {
				timeout: 45_000,
				interval: 500
			})
			.toBe('posted');
		const posts = fake.messages.filter((m) => m.embeds[0]?.title === 'Killed mid-post');
		expect(posts).toHaveLength(1);
		expect((await siteRead(site.id, () => getDiscordLink(site.id, event.id)))?.messageId).toBe(posts[0]!.id);
		expect(fake.log.filter((r) => r.method === 'GET' && r.path === `/channels/${guild.channelId}/messages`).length).toBeGreaterThanOrEqual(
			1
		);
	});
});
