/**
 * A fake Discord on loopback, speaking Discord's OAuth2 protocol as the hub uses it, because the
 * real one is unreachable from tests:
 *
 *   GET  /oauth2/authorize      consent page (client_id, redirect_uri, response_type=code, scope,
 *                                state); the redirect URI must be registered, as on Discord
 *   POST /oauth2/authorize      "Authorize" as one of the known users → redirect_uri?code&state,
 *                                "Cancel" → redirect_uri?error=access_denied&state
 *   POST /api/oauth2/token      authorization_code grant; client credentials by HTTP Basic or in
 *                                the body; the code is single-use, expires after 10 minutes and
 *                                must come with the same redirect_uri
 *   GET  /api/users/@me         the user of a Bearer token (email only with the `email` scope;
 *                                phone-only accounts have email null)
 *
 * The hub reaches the API through tests/support/discord-fetch-preload.mjs (its `fetch` to
 * https://discord.com/api/... is sent here); browsers and test clients open the authorize page
 * directly, as DISCORD_AUTHORIZE_URL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DiscordUser {
	id: string;
	username: string;
	global_name?: string | null;
	avatar?: string | null;
	/** null: an account made with a phone number only. */
	email?: string | null;
	verified?: boolean;
}

export interface FakeDiscord {
	origin: string;
	/** Value for DISCORD_AUTHORIZE_URL. */
	authorizeUrl: string;
	clientId: string;
	clientSecret: string;
	users: Map<string, DiscordUser>;
	redirectUris: Set<string>;
	/** Every request received, for assertions (method and path only). */
	log: { method: string; path: string }[];
	addUser(user: DiscordUser): DiscordUser;
	close(): Promise<void>;
}

interface PendingCode {
	redirectUri: string;
	userId: string;
	scope: string;
	expiresAt: number;
	used: boolean;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}) {
	res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
	res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body), 'application/json');

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return new URLSearchParams(Buffer.concat(chunks).toString());
}

export async function startFakeDiscord(options: { clientId?: string; clientSecret?: string } = {}): Promise<FakeDiscord> {
	const clientId = options.clientId ?? '1234567890123456789';
	const clientSecret = options.clientSecret ?? 'fake-discord-client-secret';
	const users = new Map<string, DiscordUser>();
	const redirectUris = new Set<string>();
	const codes = new Map<string, PendingCode>();
	const tokens = new Map<string, { userId: string; scope: string; expiresAt: number }>();
	const log: FakeDiscord['log'] = [];

	/** Discord shows an error page (no redirect) for a bad client or redirect URI. */
	function checkAuthorizeParams(p: URLSearchParams): string | null {
		if (p.get('client_id') !== clientId) return 'Unknown application';
		if (!redirectUris.has(p.get('redirect_uri') ?? '')) return 'Invalid OAuth2 redirect_uri';
		if (p.get('response_type') !== 'code') return 'Unsupported response_type';
		if (!(p.get('scope') ?? '').split(' ').includes('identify')) return 'Invalid scope';
		return null;
	}

	function consentPage(p: URLSearchParams): string {
		const hidden = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'prompt']
			.filter((k) => p.has(k))
			.map((k) => `<input type="hidden" name="${k}" value="${escape(p.get(k)!)}">`)
			.join('');
		const choices = [...users.values()]
			.map(
				(u, i) =>
					`<label><input type="radio" name="user_id" value="${escape(u.id)}"${i === 0 ? ' checked' : ''}> ${escape(u.global_name ?? u.username)} <small>(${escape(u.id)})</small></label>`
			)
			.join('<br>');
		return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Discord (fake): authorize</title></head>
<body><main><h1>An external application wants to access your Discord account</h1>
<p>Scopes: ${escape(p.get('scope') ?? '')}</p>
<form method="post" action="/oauth2/authorize">${hidden}
<fieldset><legend>Continue as</legend>${choices || '<p>No users</p>'}</fieldset>
<button type="submit" name="decision" value="authorize">Authorize</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form></main></body></html>`;
	}

	function clientAuthenticated(req: IncomingMessage, body: URLSearchParams): boolean {
		const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
		if (basic) {
			const [id, secret] = Buffer.from(basic[1]!, 'base64').toString().split(':');
			return decodeURIComponent(id ?? '') === clientId && decodeURIComponent(secret ?? '') === clientSecret;
		}
		return body.get('client_id') === clientId && body.get('client_secret') === clientSecret;
	}

	function userJson(user: DiscordUser, scope: string) {
		const base = {
			id: user.id,
			username: user.username,
			avatar: user.avatar ?? null,
			discriminator: '0',
			public_flags: 0,
			flags: 0,
			banner: null,
			accent_color: null,
			global_name: user.global_name ?? null,
			avatar_decoration_data: null,
			banner_color: null,
			mfa_enabled: false,
			locale: 'en-US',
			premium_type: 0
		};
		return scope.split(' ').includes('email') ? { ...base, email: user.email ?? null, verified: user.verified ?? false } : base;
	}

	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://fake-discord');
		const path = decodeURIComponent(url.pathname); // clients may send "@me" as "%40me"
		log.push({ method: req.method ?? 'GET', path });
		try {
			if (path === '/oauth2/authorize' && req.method === 'GET') {
				const problem = checkAuthorizeParams(url.searchParams);
				return problem ? send(res, 400, `<p>${escape(problem)}</p>`) : send(res, 200, consentPage(url.searchParams));
			}
			if (path === '/oauth2/authorize' && req.method === 'POST') {
				const form = await readForm(req);
				const problem = checkAuthorizeParams(form);
				if (problem) return send(res, 400, `<p>${escape(problem)}</p>`);
				const target = new URL(form.get('redirect_uri')!);
				const state = form.get('state');
				if (form.get('decision') !== 'authorize') {
					target.searchParams.set('error', 'access_denied');
					target.searchParams.set('error_description', 'The resource owner or authorization server denied the request');
				} else {
					const user = users.get(form.get('user_id') ?? '');
					if (!user) return send(res, 400, '<p>Unknown user</p>');
					const code = randomBytes(15).toString('base64url');
					codes.set(code, {
						redirectUri: target.href,
						userId: user.id,
						scope: form.get('scope') ?? '',
						expiresAt: Date.now() + 600_000,
						used: false
					});
					target.searchParams.set('code', code);
				}
				if (state !== null) target.searchParams.set('state', state);
				return send(res, 302, '', 'text/plain', { location: target.href });
			}
			if (path === '/api/oauth2/token' && req.method === 'POST') {
				const body = await readForm(req);
				if (!clientAuthenticated(req, body)) return json(res, 401, { error: 'invalid_client' });
				if (body.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
				const pending = codes.get(body.get('code') ?? '');
				if (!pending || pending.used || pending.expiresAt < Date.now() || pending.redirectUri !== body.get('redirect_uri')) {
					return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid "code" in request.' });
				}
				pending.used = true;
				const accessToken = randomBytes(20).toString('base64url');
				tokens.set(accessToken, { userId: pending.userId, scope: pending.scope, expiresAt: Date.now() + 604_800_000 });
				return json(res, 200, {
					token_type: 'Bearer',
					access_token: accessToken,
					expires_in: 604800,
					refresh_token: randomBytes(20).toString('base64url'),
					scope: pending.scope
				});
			}
			if ((path === '/api/users/@me' || path === '/api/v10/users/@me') && req.method === 'GET') {
				const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
				const grant = bearer ? tokens.get(bearer) : undefined;
				const user = grant && grant.expiresAt > Date.now() ? users.get(grant.userId) : undefined;
				if (!grant || !user) return json(res, 401, { message: '401: Unauthorized', code: 0 });
				return json(res, 200, userJson(user, grant.scope));
			}
			return json(res, 404, { message: '404: Not Found', code: 0 });
		} catch (error) {
			return json(res, 500, { message: String(error) });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		origin,
		authorizeUrl: `${origin}/oauth2/authorize`,
		clientId,
		clientSecret,
		users,
		redirectUris,
		log,
		addUser(user) {
			users.set(user.id, user);
			return user;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
