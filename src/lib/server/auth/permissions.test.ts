import { describe, expect, it } from 'vitest';
import { ACTIONS, can, type Action, type PermissionContext } from './permissions';

const site = { id: 's1' };
const user = { id: 'u1' };
const ctx = (role: PermissionContext['role'], extra: Partial<PermissionContext> = {}): PermissionContext => ({
	site,
	user,
	role,
	isSuperAdmin: false,
	...extra
});

const allowed = (c: PermissionContext) => (Object.keys(ACTIONS) as Action[]).filter((a) => can(c, a)).sort();

describe('can()', () => {
	it('editors edit content only', () => {
		expect(allowed(ctx('editor'))).toEqual(['admin.view', 'content.edit']);
	});
	it('admins add settings, branding, links, domains, slug, the fediverse screen and invitations', () => {
		expect(allowed(ctx('admin'))).toEqual(
			[
				'admin.view',
				'content.edit',
				'members.invite',
				'site.branding',
				'site.domains',
				'site.fediverse',
				'site.links',
				'site.settings',
				'site.slug'
			].sort()
		);
	});
	it('owners may do everything', () => {
		expect(allowed(ctx('owner'))).toEqual((Object.keys(ACTIONS) as Action[]).sort());
	});
	it('no role, no user or no site: nothing', () => {
		expect(allowed(ctx(null))).toEqual([]);
		expect(allowed(ctx('owner', { user: null }))).toEqual([]);
		expect(allowed(ctx('owner', { site: null }))).toEqual([]);
	});
	it('super admins may do everything on any site, but still need a site and a user', () => {
		expect(allowed(ctx(null, { isSuperAdmin: true }))).toEqual((Object.keys(ACTIONS) as Action[]).sort());
		expect(allowed(ctx(null, { isSuperAdmin: true, site: null }))).toEqual([]);
	});
});
