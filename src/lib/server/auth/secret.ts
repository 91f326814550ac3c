/**
 * The secret that signs session cookies and sign-in hand-backs. AUTH_SECRET wins; without it
 * (the embedded `npm run demo` setup) a random secret is created once in DATA_DIR, so a bare
 * machine works and restarts keep sessions. Several replicas need one shared AUTH_SECRET.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '../env';
import { log } from '../log';

let cached: string | undefined;

export function authSecret(): string {
	if (cached) return cached;
	const e = env();
	if (e.AUTH_SECRET) return (cached = e.AUTH_SECRET);
	const file = path.resolve(e.DATA_DIR, 'auth-secret');
	try {
		cached = readFileSync(file, 'utf8').trim();
	} catch {
		mkdirSync(e.DATA_DIR, { recursive: true });
		const fresh = randomBytes(32).toString('base64url');
		// 'wx': if another process created it meanwhile, keep theirs.
		try {
			writeFileSync(file, fresh + '\n', { mode: 0o600, flag: 'wx' });
			cached = fresh;
		} catch {
			cached = readFileSync(file, 'utf8').trim();
		}
		log.warn('AUTH_SECRET is not set: using a secret generated in DATA_DIR (set AUTH_SECRET when running several replicas)');
	}
	if (!cached || cached.length < 32) throw new Error(`The sign-in secret in ${file} is unreadable; set AUTH_SECRET`);
	return cached;
}
