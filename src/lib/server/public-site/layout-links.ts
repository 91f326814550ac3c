/**
 * What every public page's layout reads about its site besides the site itself: navigation links,
 * social links and the published pages shown in the menu. Three queries that were on every
 * uncached render (issue 24) are kept per site in memory, beside the host resolution, and dropped
 * by the same change messages: any `content` or `hosts` change of the site (every admin write
 * sends one, in every replica) and `all`. A lookup that began before such a change is handed to
 * the requests that waited for it but not kept (generation check), as in the host resolver.
 */
import { LRUCache } from 'lru-cache';
import { env } from '../env';
import { onChange, type ChangeMessage } from '../changes';
import { listNavLinks, listSocialLinks } from '../queries/links';
import { listPublishedPageLinks } from '../queries/pages';

export interface LayoutLinks {
	navLinks: Awaited<ReturnType<typeof listNavLinks>>;
	socialLinks: Awaited<ReturnType<typeof listSocialLinks>>;
	pages: Awaited<ReturnType<typeof listPublishedPageLinks>>;
}

export class LayoutLinksCache {
	private readonly entries: LRUCache<string, Promise<LayoutLinks>>;
	private readonly generations = new Map<string, number>();
	private globalGeneration = 0;

	constructor(
		max: number,
		private readonly load: (siteId: string) => Promise<LayoutLinks> = loadLayoutLinks
	) {
		this.entries = new LRUCache({ max });
	}

	get(siteId: string): Promise<LayoutLinks> {
		const cached = this.entries.get(siteId);
		if (cached) return cached;
		const generation = this.generation(siteId);
		const loading = this.load(siteId);
		this.entries.set(siteId, loading);
		loading.then(
			() => {
				// Dropped meanwhile: the rows read may be the old ones.
				if (this.generation(siteId) !== generation && this.entries.get(siteId) === loading) this.entries.delete(siteId);
			},
			() => {
				if (this.entries.get(siteId) === loading) this.entries.delete(siteId);
			}
		);
		return loading;
	}

	private generation(siteId: string): number {
		return this.globalGeneration * 1_000_000_000 + (this.generations.get(siteId) ?? 0);
	}

	apply(message: ChangeMessage): void {
		if (message.type === 'all') {
			this.globalGeneration++;
			this.generations.clear();
			this.entries.clear();
		} else if (message.siteId) {
			this.generations.set(message.siteId, (this.generations.get(message.siteId) ?? 0) + 1);
			this.entries.delete(message.siteId);
		}
	}

	get size(): number {
		return this.entries.size;
	}
}

async function loadLayoutLinks(siteId: string): Promise<LayoutLinks> {
	const [navLinks, socialLinks, pages] = await Promise.all([listNavLinks(siteId), listSocialLinks(siteId), listPublishedPageLinks(siteId)]);
	return { navLinks, socialLinks, pages };
}

let cache: LayoutLinksCache | undefined;

/** The layout links of a site, from memory when its last change has been read already. */
export function layoutLinks(siteId: string): Promise<LayoutLinks> {
	if (!cache) {
		const c = (cache = new LayoutLinksCache(env().HOST_CACHE_MAX));
		onChange((message) => c.apply(message));
	}
	return cache.get(siteId);
}
