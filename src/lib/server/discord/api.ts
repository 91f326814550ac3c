/**
 * The Discord REST endpoints this app uses, over @discordjs/rest (rate-limit buckets, the global
 * limit and `429` + `Retry-After` handled there). Two clients: one without a token for channel
 * webhooks (each webhook URL carries its own token), one with the platform's bot token for Guild
 * Scheduled Events. The base URL is Discord's; DISCORD_API_BASE_URL (tests only, loopback only)
 * points both at a fake.
 *
 * Every failure becomes a `DiscordFailure` whose kind tells the caller what to do:
 *   - `rejected`: Discord answered 4xx (bad webhook, missing permission, validation): retrying
 *     the same request cannot help;
 *   - `unavailable`: 5xx, or no connection could be made: nothing happened, try again later;
 *   - `rate_limited`: a wait longer than we sit through in-process: try again after `retryAfterMs`;
 *   - `uncertain`: the request may have reached Discord but no answer came back (timeout, reset):
 *     a create may have happened, so it must be looked up before it is sent again.
 */
import { DiscordAPIError, HTTPError, RateLimitError, REST } from '@discordjs/rest';
import type {
	APIChannel,
	APIGuild,
	APIGuildScheduledEvent,
	APIMessage,
	APIWebhook,
	RESTPatchAPIGuildScheduledEventJSONBody,
	RESTPatchAPIWebhookWithTokenMessageJSONBody,
	RESTPostAPIGuildScheduledEventJSONBody,
	RESTPostAPIWebhookWithTokenJSONBody
} from 'discord-api-types/v10';
import { env } from '../env';

/** Waits for a rate limit up to this long happen in-process; longer ones go back to the queue. */
const MAX_INLINE_WAIT_MS = 5_000;
const TIMEOUT_MS = 10_000;

export type FailureKind = 'rejected' | 'unavailable' | 'rate_limited' | 'uncertain';

export class DiscordFailure extends Error {
	constructor(
		readonly kind: FailureKind,
		message: string,
		readonly status?: number,
		/** Discord's JSON error code (e.g. 10015 Unknown Webhook, 10070 Unknown Scheduled Event). */
		readonly code?: number | string,
		/** Discord's field errors (`errors` of a 400), flattened to "path: message". */
		readonly fieldErrors: string[] = [],
		readonly retryAfterMs?: number
	) {
		super(message);
		this.name = 'DiscordFailure';
	}
}

/** Discord's own "does not exist" codes, and 404: the object is gone. */
export const isGone = (e: unknown) => e instanceof DiscordFailure && e.kind === 'rejected' && e.status === 404;

/** Errors that prove the request never left: no connection was made. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
	for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string') return code;
		const nested = (e as { errors?: unknown[] }).errors?.[0];
		if (nested && typeof (nested as { code?: unknown }).code === 'string') return (nested as { code: string }).code;
	}
	return undefined;
}

function flattenErrors(errors: unknown, path: string[] = []): string[] {
	if (!errors || typeof errors !== 'object') return [];
	const out: string[] = [];
	for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
		if (key === '_errors' && Array.isArray(value)) {
			for (const e of value) out.push(`${path.join('.') || 'body'}: ${(e as { message?: string }).message ?? 'invalid'}`);
		} else out.push(...flattenErrors(value, [...path, key]));
	}
	return out;
}

export function toFailure(error: unknown): DiscordFailure {
	if (error instanceof DiscordFailure) return error;
	if (error instanceof RateLimitError) {
		const wait = Math.max(error.retryAfter, error.timeToReset, 1000);
		return new DiscordFailure('rate_limited', `Discord asked to wait ${Math.ceil(wait / 1000)} s (rate limit)`, 429, undefined, [], wait);
	}
	if (error instanceof DiscordAPIError) {
		const raw = error.rawError as { message?: string; errors?: unknown };
		return new DiscordFailure(
			'rejected',
			`Discord refused: ${raw.message ?? error.message} (${error.status})`,
			error.status,
			error.code,
			flattenErrors(raw.errors)
		);
	}
	if (error instanceof HTTPError) return new DiscordFailure('unavailable', `Discord is unavailable (${error.status})`, error.status);
	const code = errorCode(error);
	if (code && NOT_SENT.has(code)) return new DiscordFailure('unavailable', `Discord could not be reached (${code})`);
	const message = error instanceof Error ? error.message : String(error);
	return new DiscordFailure('uncertain', `No answer from Discord (${code ?? message})`);
}

let webhookClient: REST | undefined;
let botClient: REST | undefined;

function newClient(): REST {
	const base = env().DISCORD_API_BASE_URL;
	return new REST({
		...(base ? { api: base.replace(/\/$/, '') } : {}),
		version: '10',
		// The queue retries (with backoff, across restarts); a retry here could post twice.
		retries: 0,
		timeout: TIMEOUT_MS,
		rejectOnRateLimit: (limit) => Math.max(limit.retryAfter, limit.timeToReset) > MAX_INLINE_WAIT_MS
	});
}

const webhooks = () => (webhookClient ??= newClient());

/** Whether the platform's bot is configured (DISCORD_BOT_CLIENT_ID and DISCORD_BOT_TOKEN). */
export function botConfigured(): boolean {
	return Boolean(env().DISCORD_BOT_TOKEN && env().DISCORD_BOT_CLIENT_ID);
}

function bot(): REST {
	const token = env().DISCORD_BOT_TOKEN;
	if (!token) throw new DiscordFailure('rejected', 'The platform’s Discord bot is not configured');
	return (botClient ??= newClient().setToken(token));
}

/** Tests: forget clients (their rate-limit state and base URL) after the environment changed. */
export function resetDiscordClients(): void {
	webhookClient = undefined;
	botClient = undefined;
}

async function call<T>(run: () => Promise<unknown>): Promise<T> {
	try {
		return (await run()) as T;
	} catch (error) {
		throw toFailure(error);
	}
}

export interface WebhookRef {
	id: string;
	token: string;
}

const webhookPath = (w: WebhookRef) => `/webhooks/${w.id}/${w.token}` as const;

export const getWebhook = (w: WebhookRef) => call<APIWebhook>(() => webhooks().get(webhookPath(w), { auth: false }));

/** Post a message and wait for it (`?wait=true`): the answer carries its id. */
export const executeWebhook = (w: WebhookRef, body: RESTPostAPIWebhookWithTokenJSONBody) =>
	call<APIMessage>(() => webhooks().post(webhookPath(w), { auth: false, body, query: new URLSearchParams({ wait: 'true' }) }));

export const editWebhookMessage = (w: WebhookRef, messageId: string, body: RESTPatchAPIWebhookWithTokenMessageJSONBody) =>
	call<APIMessage>(() => webhooks().patch(`${webhookPath(w)}/messages/${messageId}`, { auth: false, body }));

export const getGuild = (guildId: string) => call<APIGuild>(() => bot().get(`/guilds/${guildId}`));

export const getChannel = (channelId: string) => call<APIChannel>(() => bot().get(`/channels/${channelId}`));

/** Messages of a channel after a snowflake (newest first, up to 100): finding a post whose answer was lost. */
export const listChannelMessages = (channelId: string, after: string) =>
	call<APIMessage[]>(() => bot().get(`/channels/${channelId}/messages`, { query: new URLSearchParams({ after, limit: '100' }) }));

export const listScheduledEvents = (guildId: string) =>
	call<APIGuildScheduledEvent[]>(() => bot().get(`/guilds/${guildId}/scheduled-events`));

export const createScheduledEvent = (guildId: string, body: RESTPostAPIGuildScheduledEventJSONBody) =>
	call<APIGuildScheduledEvent>(() => bot().post(`/guilds/${guildId}/scheduled-events`, { body }));

export const editScheduledEvent = (guildId: string, id: string, body: RESTPatchAPIGuildScheduledEventJSONBody) =>
	call<APIGuildScheduledEvent>(() => bot().patch(`/guilds/${guildId}/scheduled-events/${id}`, { body }));

export const deleteScheduledEvent = (guildId: string, id: string) =>
	call<void>(() => bot().delete(`/guilds/${guildId}/scheduled-events/${id}`));

const DISCORD_EPOCH = 1420070400000n;

/** The smallest snowflake of a moment (for `after=` searches). */
export function snowflakeAt(at: Date): string {
	return String((BigInt(Math.max(0, at.getTime())) - DISCORD_EPOCH) << 22n);
}

/**
 * A channel webhook URL as Discord shows it (`https://discord.com/api/webhooks/<id>/<token>`;
 * also discordapp.com, canary./ptb., and an API version), or null.
 */
export function parseWebhookUrl(input: string): WebhookRef | null {
	const m = /^https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d{1,2})?\/webhooks\/(\d{17,20})\/([\w-]{60,100})\/?$/.exec(
		input.trim()
	);
	return m ? { id: m[1]!, token: m[2]! } : null;
}

/** Permissions the bot is invited with: create and manage events, see channels and their history (lookups). */
const BOT_PERMISSIONS =
	(1n << 33n) /* MANAGE_EVENTS */ |
	(1n << 44n) /* CREATE_EVENTS */ |
	(1n << 10n) /* VIEW_CHANNEL */ |
	(1n << 16n) /* READ_MESSAGE_HISTORY */ |
	(1n << 20n); /* CONNECT (voice and stage events) */

/** The invite link of the platform's bot, for one server when it is known. */
export function botInviteUrl(guildId: string | null): string | null {
	const clientId = env().DISCORD_BOT_CLIENT_ID;
	if (!clientId || !botConfigured()) return null;
	const params = new URLSearchParams({ client_id: clientId, scope: 'bot', permissions: String(BOT_PERMISSIONS) });
	if (guildId) {
		params.set('guild_id', guildId);
		params.set('disable_guild_select', 'true');
	}
	return `https://discord.com/oauth2/authorize?${params}`;
}
