import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
	isOpenWhenSuspended,
	isPrivatePath,
	isPublicPath,
	isReservedPageSlug,
	isSharedWithHub,
	NAMESPACES,
	ROBOTS_DISALLOW
} from './route-namespaces';

describe('route namespaces', () => {
	it('every first segment the route tree answers is in the table (a new route cannot be forgotten)', () => {
		const routes = path.resolve('src/routes');
		const site = readdirSync(path.join(routes, '(site)')).filter((n) => !n.startsWith('+') && !n.startsWith('['));
		const top = readdirSync(routes).filter((n) => !n.startsWith('+') && !n.startsWith('(') && n !== 'hub');
		for (const name of [...site, ...top]) expect(Object.keys(NAMESPACES), name).toContain(name);
	});

	it('derives each list from the one table', () => {
		expect(isPublicPath('/')).toBe(true);
		expect(isPublicPath('/about')).toBe(true);
		expect(isPublicPath('/events/film-night')).toBe(true);
		expect(isPublicPath('/admin/events')).toBe(false);
		expect(isPublicPath('/media/sites/a/page/x-480.webp')).toBe(false);
		expect(isPrivatePath('/invite/abc')).toBe(true);
		expect(isPrivatePath('/administrator')).toBe(false);
		expect(isPrivatePath('/events')).toBe(false);
		expect(isOpenWhenSuspended('/login')).toBe(true);
		expect(isOpenWhenSuspended('/events')).toBe(false);
		expect(isSharedWithHub('/api/auth/callback/discord')).toBe(true);
		expect(isSharedWithHub('/admin')).toBe(false);
		expect(isReservedPageSlug('events')).toBe(true);
		expect(isReservedPageSlug('about')).toBe(false);
		expect(isReservedPageSlug('constructor')).toBe(false);
		expect(ROBOTS_DISALLOW).toEqual(expect.arrayContaining(['/admin', '/login', '/invite']));
		expect(ROBOTS_DISALLOW).not.toContain('/sites');
	});
});
