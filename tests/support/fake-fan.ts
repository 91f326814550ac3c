/**
 * A Mastodon-shaped remote account on loopback with a real RSA key: it serves its Person (with
 * the public key) at /users/fan and signs what it posts to a site's inbox with Fedify's
 * signRequest, so the hub verifies it against the key it fetches from here. The hub must run
 * with FEDERATION_ALLOW_PRIVATE=true to fetch from loopback.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCryptoKeyPair, signRequest } from '@fedify/fedify';
import { CryptographicKey, Endpoints, Person } from '@fedify/fedify/vocab';
import { request, type HttpResult } from './server';

export interface FakeFan {
	/** The account's actor URI. */
	actor: string;
	/** POST an activity to the site's inbox at `host`, signed unless `sign` is false. */
	post(hubOrigin: string, host: string, activity: { toJsonLd(): Promise<unknown> }, options?: { sign?: boolean }): Promise<HttpResult>;
	close(): Promise<void>;
}

export async function startFakeFan(): Promise<FakeFan> {
	const keys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
	let actor = '';
	const person = () =>
		new Person({
			id: new URL(actor),
			preferredUsername: 'fan',
			inbox: new URL(`${actor}/inbox`),
			endpoints: new Endpoints({ sharedInbox: new URL(`${new URL(actor).origin}/inbox`) }),
			publicKey: new CryptographicKey({ id: new URL(`${actor}#main-key`), owner: new URL(actor), publicKey: keys.publicKey })
		}).toJsonLd();
	const server = createServer(async (req, res) => {
		for await (const _ of req);
		if (req.method === 'GET' && req.url === '/users/fan') {
			res.writeHead(200, { 'content-type': 'application/activity+json' });
			res.end(JSON.stringify(await person()));
			return;
		}
		res.writeHead(404).end();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	actor = `http://127.0.0.1:${(server.address() as AddressInfo).port}/users/fan`;

	return {
		actor,
		async post(hubOrigin, host, activity, options = {}) {
			const path = '/ap/actor/events/inbox';
			const body = JSON.stringify(await activity.toJsonLd());
			let req = new Request(`http://${host}${path}`, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body });
			if (options.sign !== false) req = await signRequest(req, keys.privateKey, new URL(`${actor}#main-key`));
			const headers: Record<string, string> = {};
			req.headers.forEach((v, k) => (headers[k] = v));
			headers['content-length'] = String(Buffer.byteLength(body));
			return request(hubOrigin, path, host, { method: 'POST', headers, body });
		},
		close: () => new Promise((r) => server.close(() => r()))
	};
}
