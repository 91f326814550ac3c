/**
 * A fake of the Discord REST API endpoints the hub's Discord features use, on loopback, with
 * Discord's JSON shapes, its validation errors (`400` + `{ code: 50035, errors, message }`), its
 * "unknown object" codes and `429` rate limits (`Retry-After`, `X-RateLimit-Scope`, body
 * `retry_after`/`global`). Point the hub at it with DISCORD_API_BASE_URL = `fake.apiBase`.
 *
 *   GET    /api/v10/webhooks/:id/:token                         webhook (token-authenticated)
 *   POST   /api/v10/webhooks/:id/:token?wait=true                execute → message
 *   PATCH  /api/v10/webhooks/:id/:token/messages/:message        edit the webhook's message
 *   GET    /api/v10/guilds/:guild                                 (bot) the guild, if the bot is in it
 *   GET    /api/v10/channels/:channel                             (bot) a channel of a guild the bot is in
 *   GET    /api/v10/channels/:channel/messages?after=&limit=      (bot) history after a snowflake
 *   GET    /api/v10/guilds/:guild/scheduled-events                (bot) scheduled and active events
 *   POST   /api/v10/guilds/:guild/scheduled-events                (bot) create
 *   PATCH  /api/v10/guilds/:guild/scheduled-events/:id            (bot) edit, cancel (status 4)
 *   DELETE /api/v10/guilds/:guild/scheduled-events/:id            (bot) delete
 *
 * Faults for tests: `down` (every request 503, as when Discord's edge has no backend),
 * `rateLimit(...)` (the next matching requests get 429), `onCreate` (called after a message or
 * scheduled event is stored and before the answer is sent: a test can kill the client there).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const DISCORD_EPOCH = 1420070400000n;
let sequence = 0n;
/** A snowflake for now: milliseconds since Discord's epoch, shifted, plus a counter. */
export function snowflake(at = Date.now()): string {
	sequence = (sequence + 1n) % 4096n;
	return String(((BigInt(at) - DISCORD_EPOCH) << 22n) | sequence);
}

export interface FakeWebhook {
	id: string;
	token: string;
	channelId: string;
	guildId: string;
	name: string;
}
export interface FakeChannel {
	id: string;
	guildId: string;
	/** 0 text, 2 voice, 13 stage */
	type: number;
	name: string;
}
export interface FakeMessage {
	id: string;
	type: number;
	channel_id: string;
	webhook_id: string;
	author: { id: string; username: string; discriminator: string; avatar: null; bot: true; global_name: null };
	content: string;
	embeds: Record<string, unknown>[];
	timestamp: string;
	edited_timestamp: string | null;
	tts: false;
	mention_everyone: false;
	mentions: [];
	mention_roles: [];
	attachments: [];
	components: [];
	pinned: false;
	flags: 0;
}
export interface FakeScheduledEvent {
	id: string;
	guild_id: string;
	channel_id: string | null;
	creator_id: string;
	name: string;
	description: string | null;
	scheduled_start_time: string;
	scheduled_end_time: string | null;
	privacy_level: number;
	status: number;
	entity_type: number;
	entity_id: null;
	entity_metadata: { location?: string } | null;
	user_count: number;
	image: null;
}

interface RateLimitRule {
	method: string;
	path: RegExp;
	times: number;
	retryAfter: number;
	global: boolean;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: string;
	body: unknown;
	status: number;
	at: number;
}

export interface FakeDiscordApi {
	origin: string;
	/** DISCORD_API_BASE_URL for the hub. */
	apiBase: string;
	botToken: string;
	botId: string;
	webhooks: Map<string, FakeWebhook>;
	channels: Map<string, FakeChannel>;
	/** Guilds the bot is a member of. */
	botGuilds: Set<string>;
	messages: FakeMessage[];
	scheduled: Map<string, FakeScheduledEvent>;
	log: LoggedRequest[];
	/** Every request answers 503 while true. */
	down: boolean;
	/** The bot's Message Content intent: without it, history shows others' messages with empty content and embeds. */
	messageContent: boolean;
	onCreate?: (what: 'message' | 'scheduled', object: FakeMessage | FakeScheduledEvent) => void | Promise<void>;
	rateLimit(rule: Partial<RateLimitRule> & { path: RegExp }): void;
	/** A guild with a text channel and a webhook on it (and optionally the bot in it, and voice/stage channels). */
	addGuild(options?: { bot?: boolean }): {
		guildId: string;
		channelId: string;
		voiceId: string;
		stageId: string;
		webhook: FakeWebhook;
		webhookUrl: string;
	};
	close(): Promise<void>;
}

const invalidForm = (errors: Record<string, unknown>) => ({ code: 50035, errors, message: 'Invalid Form Body' });
const fieldError = (code: string, message: string) => ({ _errors: [{ code, message }] });

function isUrl(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	try {
		const u = new URL(value);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

/** Discord's checks of a message body (the subset of rules the hub's messages could break). */
function validateMessage(body: Record<string, unknown>): Record<string, unknown> | null {
	const embeds = (body.embeds as Record<string, unknown>[] | undefined) ?? [];
	const content = typeof body.content === 'string' ? body.content : '';
	if (!content && embeds.length === 0) return { code: 50006, message: 'Cannot send an empty message' };
	if (content.length > 2000) return invalidForm({ content: fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.') });
	const errors: Record<string, unknown> = {};
	embeds.forEach((e, i) => {
		const problems: Record<string, unknown> = {};
		if (typeof e.title === 'string' && e.title.length > 256)
			problems.title = fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
		if (typeof e.description === 'string' && e.description.length > 4096)
			problems.description = fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 4096 or fewer in length.');
		if (e.url !== undefined && !isUrl(e.url)) problems.url = fieldError('URL_TYPE_INVALID_URL', 'Not a well formed URL.');
		const image = e.image as { url?: unknown } | undefined;
		if (image && !isUrl(image.url)) problems.image = { url: fieldError('URL_TYPE_INVALID_URL', 'Not a well formed URL.') };
		const fields = (e.fields as { name?: string; value?: string }[] | undefined) ?? [];
		fields.forEach((f, j) => {
			if (!f.name || !f.value) problems[`fields`] = { [j]: fieldError('BASE_TYPE_REQUIRED', 'This field is required') };
			else if (f.value.length > 1024)
				problems.fields = { [j]: { value: fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 1024 or fewer in length.') } };
		});
		if (Object.keys(problems).length) errors[i] = problems;
	});
	return Object.keys(errors).length ? invalidForm({ embeds: errors }) : null;
}

function validateScheduled(body: Record<string, unknown>, creating: boolean, channels: Map<string, FakeChannel>, guildId: string) {
	const errors: Record<string, unknown> = {};
	const has = (k: string) => body[k] !== undefined;
	if (creating || has('name')) {
		if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)
			errors.name = fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
	}
	if (has('description') && typeof body.description === 'string' && body.description.length > 1000)
		errors.description = fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 1000 in length.');
	if (creating && body.privacy_level !== 2) errors.privacy_level = fieldError('BASE_TYPE_CHOICES', 'Value must be one of {2}.');
	if (creating || has('scheduled_start_time')) {
		const start = Date.parse(String(body.scheduled_start_time));
		if (Number.isNaN(start)) errors.scheduled_start_time = fieldError('DATE_TIME_TYPE_PARSE', 'Could not parse the timestamp.');
		else if (start < Date.now())
			errors.scheduled_start_time = fieldError('GUILD_SCHEDULED_EVENT_SCHEDULE_PAST', 'Cannot schedule event in the past.');
	}
	const type = body.entity_type;
	if (creating && ![1, 2, 3].includes(type as number))
		errors.entity_type = fieldError('BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3}.');
	if (type === 3) {
		const location = (body.entity_metadata as { location?: string } | undefined)?.location;
		if (!location || location.length > 100)
			errors.entity_metadata = { location: fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.') };
		if (!body.scheduled_end_time) errors.scheduled_end_time = fieldError('BASE_TYPE_REQUIRED', 'This field is required');
	}
	if (type === 1 || type === 2) {
		const channel = channels.get(String(body.channel_id ?? ''));
		if (!channel || channel.guildId !== guildId || channel.type !== (type === 1 ? 13 : 2))
			errors.channel_id = fieldError('CHANNEL_TYPE_INVALID_TYPE', 'Not a valid channel for this entity type.');
	}
	return Object.keys(errors).length ? invalidForm(errors) : null;
}

export async function startFakeDiscordApi(): Promise<FakeDiscordApi> {
	const botToken = 'fake-bot-token.' + Math.random().toString(36).slice(2);
	const botId = snowflake();
	const rules: RateLimitRule[] = [];
	const state: FakeDiscordApi = {
		origin: '',
		apiBase: '',
		botToken,
		botId,
		webhooks: new Map(),
		channels: new Map(),
		botGuilds: new Set(),
		messages: [],
		scheduled: new Map(),
		log: [],
		down: false,
		messageContent: true,
		rateLimit(rule) {
			rules.push({ method: 'POST', times: 1, retryAfter: 1, global: false, ...rule });
		},
		addGuild(options = {}) {
			const guildId = snowflake();
			const channelId = snowflake();
			const voiceId = snowflake();
			const stageId = snowflake();
			state.channels.set(channelId, { id: channelId, guildId, type: 0, name: 'events' });
			state.channels.set(voiceId, { id: voiceId, guildId, type: 2, name: 'Voice' });
			state.channels.set(stageId, { id: stageId, guildId, type: 13, name: 'Stage' });
			const webhook: FakeWebhook = {
				id: snowflake(),
				token: Array.from(
					{ length: 68 },
					() => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'[Math.floor(Math.random() * 64)]
				).join(''),
				channelId,
				guildId,
				name: 'Captain Hook'
			};
			state.webhooks.set(webhook.id, webhook);
			if (options.bot) state.botGuilds.add(guildId);
			return {
				guildId,
				channelId,
				voiceId,
				stageId,
				webhook,
				webhookUrl: `https://discord.com/api/webhooks/${webhook.id}/${webhook.token}`
			};
		},
		close: async () => {}
	};

	const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const text = Buffer.concat(chunks).toString();
		return text ? (JSON.parse(text) as Record<string, unknown>) : {};
	};

	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://fake');
		const method = req.method ?? 'GET';
		const path = url.pathname.replace(/^\/api\/v10/, '');
		let body: Record<string, unknown>;
		try {
			body = method === 'GET' || method === 'DELETE' ? {} : await readJson(req);
		} catch {
			return answer(res, 400, { code: 50109, message: 'The request body contains invalid JSON.' });
		}
		const entry: LoggedRequest = { method, path, query: url.search, body, status: 0, at: Date.now() };
		state.log.push(entry);
		const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
			entry.status = status;
			return answer(res, status, payload, headers);
		};
		if (state.down) return send(503, undefined);
		const rule = rules.find((r) => r.method === method && r.path.test(path) && r.times > 0);
		if (rule) {
			rule.times--;
			return send(
				429,
				{ message: 'You are being rate limited.', retry_after: rule.retryAfter, global: rule.global },
				{
					'retry-after': String(rule.retryAfter),
					'x-ratelimit-scope': rule.global ? 'global' : 'user',
					...(rule.global
						? { 'x-ratelimit-global': 'true' }
						: {
								'x-ratelimit-limit': '5',
								'x-ratelimit-remaining': '0',
								'x-ratelimit-reset-after': String(rule.retryAfter),
								'x-ratelimit-bucket': 'fakebucket'
							})
				}
			);
		}
		try {
			let m: RegExpExecArray | null;
			// --- Webhooks (their token is the credential) ---
			if ((m = /^\/webhooks\/(\d+)\/([\w-]+)(\/messages\/(\d+))?$/.exec(path))) {
				const hook = state.webhooks.get(m[1]!);
				if (!hook) return send(404, { message: 'Unknown Webhook', code: 10015 });
				if (hook.token !== m[2]) return send(401, { message: 'Invalid Webhook Token', code: 50027 });
				if (!m[3] && method === 'GET')
					return send(200, {
						id: hook.id,
						type: 1,
						guild_id: hook.guildId,
						channel_id: hook.channelId,
						name: hook.name,
						avatar: null,
						application_id: null,
						token: hook.token
					});
				if (!m[3] && method === 'POST') {
					const problem = validateMessage(body);
					if (problem) return send(400, problem);
					const message: FakeMessage = {
						id: snowflake(),
						type: 0,
						channel_id: hook.channelId,
						webhook_id: hook.id,
						author: { id: hook.id, username: hook.name, discriminator: '0000', avatar: null, bot: true, global_name: null },
						content: String(body.content ?? ''),
						embeds: ((body.embeds as Record<string, unknown>[]) ?? []).map((e) => ({ type: 'rich', ...e })),
						timestamp: new Date().toISOString(),
						edited_timestamp: null,
						tts: false,
						mention_everyone: false,
						mentions: [],
						mention_roles: [],
						attachments: [],
						components: [],
						pinned: false,
						flags: 0
					};
					state.messages.push(message);
					await state.onCreate?.('message', message);
					return url.searchParams.get('wait') === 'true' ? send(200, message) : send(204);
				}
				if (m[3] && method === 'PATCH') {
					const message = state.messages.find((x) => x.id === m![4] && x.webhook_id === hook.id);
					if (!message) return send(404, { message: 'Unknown Message', code: 10008 });
					const problem = validateMessage({ content: message.content, embeds: message.embeds, ...body });
					if (problem) return send(400, problem);
					if (body.content !== undefined) message.content = String(body.content ?? '');
					if (body.embeds !== undefined) message.embeds = (body.embeds as Record<string, unknown>[]).map((e) => ({ type: 'rich', ...e }));
					message.edited_timestamp = new Date().toISOString();
					return send(200, message);
				}
				return send(405, { message: '405: Method Not Allowed', code: 0 });
			}
			// --- Bot routes ---
			if (req.headers.authorization !== `Bot ${botToken}`) return send(401, { message: '401: Unauthorized', code: 0 });
			if ((m = /^\/guilds\/(\d+)$/.exec(path)) && method === 'GET') {
				if (!state.botGuilds.has(m[1]!)) return send(404, { message: 'Unknown Guild', code: 10004 });
				return send(200, { id: m[1], name: 'Fake guild', icon: null, owner_id: snowflake(), roles: [], emojis: [], features: [] });
			}
			if ((m = /^\/channels\/(\d+)(\/messages)?$/.exec(path)) && method === 'GET') {
				const channel = state.channels.get(m[1]!);
				if (!channel) return send(404, { message: 'Unknown Channel', code: 10003 });
				if (!state.botGuilds.has(channel.guildId)) return send(403, { message: 'Missing Access', code: 50001 });
				if (!m[2]) return send(200, { id: channel.id, type: channel.type, guild_id: channel.guildId, name: channel.name, position: 0 });
				const after = BigInt(url.searchParams.get('after') ?? '0');
				const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50));
				const rows = state.messages
					.filter((x) => x.channel_id === channel.id && BigInt(x.id) > after)
					.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
					.slice(0, limit)
					.map((x) => (state.messageContent ? x : { ...x, content: '', embeds: [] }));
				return send(200, rows);
			}
			if ((m = /^\/guilds\/(\d+)\/scheduled-events(?:\/(\d+))?$/.exec(path))) {
				const guildId = m[1]!;
				if (!state.botGuilds.has(guildId)) return send(403, { message: 'Missing Access', code: 50001 });
				const id = m[2];
				if (!id && method === 'GET')
					return send(
						200,
						[...state.scheduled.values()].filter((e) => e.guild_id === guildId && (e.status === 1 || e.status === 2))
					);
				if (!id && method === 'POST') {
					const problem = validateScheduled(body, true, state.channels, guildId);
					if (problem) return send(400, problem);
					const created: FakeScheduledEvent = {
						id: snowflake(),
						guild_id: guildId,
						channel_id: (body.channel_id as string | undefined) ?? null,
						creator_id: botId,
						name: String(body.name),
						description: (body.description as string | undefined) ?? null,
						scheduled_start_time: String(body.scheduled_start_time),
						scheduled_end_time: (body.scheduled_end_time as string | undefined) ?? null,
						privacy_level: 2,
						status: 1,
						entity_type: Number(body.entity_type),
						entity_id: null,
						entity_metadata: (body.entity_metadata as { location?: string } | undefined) ?? null,
						user_count: 0,
						image: null
					};
					state.scheduled.set(created.id, created);
					await state.onCreate?.('scheduled', created);
					return send(200, created);
				}
				const existing = id ? state.scheduled.get(id) : undefined;
				if (!existing || existing.guild_id !== guildId) return send(404, { message: 'Unknown Guild Scheduled Event', code: 10070 });
				if (method === 'DELETE') {
					state.scheduled.delete(existing.id);
					return send(204);
				}
				if (method === 'PATCH') {
					if (body.status !== undefined) {
						const allowed = existing.status === 1 ? [2, 4] : existing.status === 2 ? [3] : [];
						if (!allowed.includes(Number(body.status)))
							return send(
								400,
								invalidForm({ status: fieldError('GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION', 'Invalid status transition.') })
							);
					}
					if (existing.status !== 1 && body.status === undefined)
						return send(400, { code: 180000, message: 'Cannot update a finished event' });
					const merged = { ...existing, ...body };
					const problem = validateScheduled(merged, false, state.channels, guildId);
					// Moving an event from a channel to a place: Discord wants channel_id null said out loud.
					if (!problem && body.entity_type === 3 && existing.entity_type !== 3 && body.channel_id !== null)
						return send(400, invalidForm({ channel_id: fieldError('BASE_TYPE_REQUIRED', 'Must be null for external events.') }));
					if (problem) return send(400, problem);
					Object.assign(existing, body);
					return send(200, existing);
				}
			}
			return send(404, { message: '404: Not Found', code: 0 });
		} catch (error) {
			return send(500, { message: String(error), code: 0 });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	state.apiBase = `${state.origin}/api`;
	state.close = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return state;
}

function answer(res: ServerResponse, status: number, payload?: unknown, headers: Record<string, string> = {}) {
	if (res.headersSent || res.destroyed) return;
	const base = { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '1', 'x-ratelimit-bucket': 'fake' };
	if (status === 204 || payload === undefined) {
		res.writeHead(status, { ...(status < 300 ? base : {}), ...headers, ...(status === 503 ? { 'content-type': 'text/html' } : {}) });
		res.end(status === 503 ? '<html><body>upstream connect error</body></html>' : undefined);
		return;
	}
	res.writeHead(status, { 'content-type': 'application/json', ...(status < 300 ? base : {}), ...headers });
	res.end(JSON.stringify(payload));
}
