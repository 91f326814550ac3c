/**
 * A Mastodon-shaped fake fediverse server on loopback, for tests of the hub's ActivityPub: one
 * actor (`/users/fan`, a real RSA key, a personal and a shared inbox). It signs what it posts to
 * the hub with Fedify's signRequest, and checks every delivery it gets with Fedify's
 * verifyRequest against the key it fetches from the hub (ids name a site's host without a port;
 * the bytes go to the hub's port), as a remote server would. Nothing leaves the machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCryptoKeyPair, signRequest, verifyRequest } from '@fedify/fedify';
import { CryptographicKey, Endpoints, Person } from '@fedify/fedify/vocab';
import type { Temporal } from '@js-temporal/polyfill';
import { get, request, type HttpResult } from './server';

const AP = { accept: 'application/activity+json' };

export interface Received {
	path: string;
	activity: Record<string, unknown> & { type: string; object?: Record<string, unknown> | string };
	verified: boolean;
	keyId: string | null;
}

export interface PostOptions {
	path?: string;
	/** Change the body after signing (the signature then fails). */
	tamper?: (body: string) => string;
	currentTime?: Temporal.Instant;
	sign?: boolean;
}

export interface FakeFediverse {
	origin: string;
	/** The fake's actor id. */
	fan: string;
	keys: CryptoKeyPair;
	/** Every delivery received, in order, with whether its signature verified. */
	received: Received[];
	arrivals(type: string): Received[];
	/** POST a body to `host` (a site's name) on the hub, signed as the fan unless `sign` is false. */
	post(host: string, body: string, options?: PostOptions): Promise<HttpResult>;
	/** The same with an activity of Fedify's vocabulary as the body. */
	postActivity(host: string, activity: { toJsonLd(): Promise<unknown> }, options?: PostOptions): Promise<HttpResult>;
	close(): Promise<void>;
}

/** Start the fake; `hubOrigin` is read when it fetches from the hub (the hub may start later). */
export async function startFakeFediverse(hubOrigin: () => string): Promise<FakeFediverse> {
	const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
	const received: Received[] = [];
	let origin = '';
	const fan = () => `${origin}/users/fan`;

	async function hubDocument(url: string) {
		const u = new URL(url);
		const r = await get(hubOrigin(), u.pathname + u.search, u.host, AP);
		if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
		return { contextUrl: null, document: JSON.parse(r.body), documentUrl: url };
	}

	const personJson = () =>
		new Person({
			id: new URL(fan()),
			preferredUsername: 'fan',
			name: 'A Fan',
			inbox: new URL(`${fan()}/inbox`),
			endpoints: new Endpoints({ sharedInbox: new URL(`${origin}/inbox`) }),
			publicKey: new CryptographicKey({ id: new URL(`${fan()}#main-key`), owner: new URL(fan()), publicKey: keys.publicKey })
		}).toJsonLd();

	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = Buffer.concat(chunks);
		if (req.method === 'GET' && req.url === '/users/fan') {
			res.writeHead(200, { 'content-type': 'application/activity+json' });
			res.end(JSON.stringify(await personJson()));
			return;
		}
		if (req.method === 'POST' && (req.url === '/inbox' || req.url === '/users/fan/inbox')) {
			const headers = new Headers();
			for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
			const copy = new Request(`${origin}${req.url}`, { method: 'POST', headers, body });
			// A real verifier: the signature, the Digest of the body, the Date window, the key from the hub.
			const key = await verifyRequest(copy, { documentLoader: hubDocument, contextLoader: undefined }).catch(() => null);
			received.push({ path: req.url, activity: JSON.parse(body.toString()), verified: key !== null, keyId: key?.id?.href ?? null });
			res.writeHead(key ? 202 : 401).end();
			return;
		}
		res.writeHead(404).end();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	async function post(host: string, body: string, options: PostOptions = {}): Promise<HttpResult> {
		const path = options.path ?? '/ap/actor/events/inbox';
		let req = new Request(`http://${host}${path}`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body });
		if (options.sign !== false)
			req = await signRequest(req, keys.privateKey, new URL(`${fan()}#main-key`), { currentTime: options.currentTime });
		const headers: Record<string, string> = {};
		req.headers.forEach((v, k) => (headers[k] = v));
		const sent = options.tamper ? options.tamper(body) : body;
		headers['content-length'] = String(Buffer.byteLength(sent));
		return request(hubOrigin(), path, host, { method: 'POST', headers, body: sent });
	}

	return {
		origin,
		fan: fan(),
		keys,
		received,
		arrivals: (type) => received.filter((r) => r.activity.type === type),
		post,
		postActivity: async (host, activity, options) => post(host, JSON.stringify(await activity.toJsonLd()), options),
		close: () => new Promise<void>((r) => server.close(() => r()))
	};
}
