/**
 * The one id validator. Ids of rows (events, pages, links, assets, domains, invitations) reach us
 * from URLs and form fields; anything that is not a UUID is "not found" before it gets near SQL
 * (PostgreSQL would answer a cast error, i.e. a 500).
 */
import { z } from 'zod';
import { notFound } from './errors';

export const idSchema = z.uuid();

export function isUuid(value: unknown): value is string {
	return idSchema.safeParse(value).success;
}

/** The id, or AppError not_found (never a hint that a malformed id was the reason). */
export function requireId(value: unknown, what = 'Not found'): string {
	if (!isUuid(value)) throw notFound(what);
	return value;
}
