import { describe, expect, it } from 'vitest';
import { classifyHost, isLocalHost } from './host-class';

const opts = { platformDomain: 'hub.example', siteSlug: 'demo' };

describe('classifyHost (shared by reroute and the host resolver)', () => {
	it('names the hub by the platform domain only, with or without the trailing dot', () => {
		expect(classifyHost('hub.example', opts)).toEqual({ kind: 'hub' });
		expect(classifyHost('hub.example.', opts)).toEqual({ kind: 'hub' });
		expect(classifyHost('www.hub.example', opts)).toEqual({ kind: 'site', slugs: ['www'] });
		expect(classifyHost('hub.example.org', opts)).toEqual({ kind: 'site', slugs: [] });
	});

	it('reads a slug from one label under the platform domain or localhost', () => {
		expect(classifyHost('films.hub.example', opts)).toEqual({ kind: 'site', slugs: ['films'] });
		expect(classifyHost('films.localhost', opts)).toEqual({ kind: 'site', slugs: ['films', 'demo'] });
		expect(classifyHost('a.b.hub.example', opts)).toEqual({ kind: 'site', slugs: [] });
	});

	it('applies SITE_SLUG on local hosts only, never on a public name', () => {
		expect(classifyHost('localhost', opts)).toEqual({ kind: 'site', slugs: ['demo'] });
		expect(classifyHost('127.0.0.1', opts)).toEqual({ kind: 'site', slugs: ['demo'] });
		expect(classifyHost('films.example.org', opts)).toEqual({ kind: 'site', slugs: [] });
		expect(isLocalHost('localhost.example.org')).toBe(false);
	});
});
