/**
 * The key pairs a site's actor signs with (RSA for HTTP Signatures as Mastodon checks them,
 * Ed25519 for Object Integrity Proofs), made on first need and kept in `site_federation_key`.
 *
 * Private keys are stored sealed: AES-256-GCM (node:crypto, no dependency needed) under a key
 * derived from FEDERATION_KEY with HKDF-SHA-256, a fresh 96-bit IV each, and the site id and
 * algorithm as additional data, so a sealed key copied onto another site's row does not open. A
 * dump of the database alone cannot sign as any site.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import { env } from '../env';
import { transaction } from '../db';
import { insertFederationKey, listFederationKeys } from '../queries/fediverse';

export const KEY_ALGORITHMS = ['RSASSA-PKCS1-v1_5', 'Ed25519'] as const;
type Algorithm = (typeof KEY_ALGORITHMS)[number];

let derived: { secret: string; key: Buffer } | undefined;

function sealingKey(): Buffer {
	const secret = env().FEDERATION_KEY;
	if (!secret) throw new Error('FEDERATION_KEY is not set');
	if (derived?.secret !== secret) {
		derived = { secret, key: Buffer.from(hkdfSync('sha256', secret, 'collective-hub', 'fediverse site keys v1', 32)) };
	}
	return derived.key;
}

export function seal(plain: string, aad: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', sealingKey(), iv);
	cipher.setAAD(Buffer.from(aad));
	const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
	return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(sealed: string, aad: string): string {
	const [version, iv, tag, body] = sealed.split('.');
	if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown sealed key format');
	const decipher = createDecipheriv('aes-256-gcm', sealingKey(), Buffer.from(iv, 'base64url'));
	decipher.setAAD(Buffer.from(aad));
	decipher.setAuthTag(Buffer.from(tag, 'base64url'));
	return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

const aadOf = (siteId: string, algorithm: string) => `${siteId}:${algorithm}`;

/** The site's key pairs (RSA first: the one Fedify names as `publicKey`), made if missing. */
export async function siteKeyPairs(siteId: string): Promise<CryptoKeyPair[]> {
	let rows = await transaction(() => listFederationKeys(siteId), { siteId });
	const missing = KEY_ALGORITHMS.filter((a) => !rows.some((r) => r.algorithm === a));
	if (missing.length) {
		await transaction(
			async () => {
				for (const algorithm of missing) {
					const pair = await generateCryptoKeyPair(algorithm as Algorithm);
					await insertFederationKey({
						siteId,
						algorithm,
						publicKey: (await exportJwk(pair.publicKey)) as JsonWebKey,
						privateKeySealed: seal(JSON.stringify(await exportJwk(pair.privateKey)), aadOf(siteId, algorithm))
					});
				}
			},
			{ siteId }
		);
		rows = await transaction(() => listFederationKeys(siteId), { siteId });
	}
	const ordered = KEY_ALGORITHMS.map((a) => rows.find((r) => r.algorithm === a)).filter((r) => r !== undefined);
	return Promise.all(
		ordered.map(async (r) => ({
			publicKey: await importJwk(r.publicKey, 'public'),
			privateKey: await importJwk(JSON.parse(unseal(r.privateKeySealed, aadOf(siteId, r.algorithm))) as JsonWebKey, 'private')
		}))
	);
}
