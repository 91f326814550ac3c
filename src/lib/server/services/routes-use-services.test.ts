/**
 * The layering rule (services/index.ts), checked on the route tree: server files of routes may
 * import read functions of query modules (list…, get…, search…, count…), never the database
 * client, a query module's write, or the removed route helpers.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function serverFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return serverFiles(full);
		return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(name) ? [full] : [];
	});
}

/** `import { a, b as c, type T } from '<module>'` → imported names per module. */
function imports(source: string): { module: string; names: string[] }[] {
	return [...source.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)].map((m) => ({
		module: m[3]!,
		names: m[1]
			? []
			: m[2]!
					.split(',')
					.map((n) => n.trim())
					.filter((n) => n && !n.startsWith('type '))
					.map((n) => n.split(/\s+as\s+/)[0]!)
	}));
}

const READ = /^(list|get|search|count|switcher|sitesOf|find|next)[A-Z_]|^[A-Z_]+$/;

describe('routes go through services', () => {
	const files = serverFiles(path.resolve('src/routes'));

	it('finds the route tree', () => {
		expect(files.length).toBeGreaterThan(30);
	});

	it.each(files.map((f) => [path.relative('src/routes', f), f]))('%s', (_name, file) => {
		const source = readFileSync(file, 'utf8');
		for (const { module, names } of imports(source)) {
			expect(module, `${file} imports the database`).not.toMatch(/server\/db(\/|$)/);
			expect(module, `${file} imports removed admin helpers`).not.toMatch(/server\/admin\//);
			if (/server\/queries\//.test(module)) {
				for (const name of names) expect(name, `${file}: ${name} from ${module} is not a read`).toMatch(READ);
			}
		}
		expect(source, `${file} opens a transaction`).not.toMatch(/\.transaction\(|siteWrite\(|\bwrite\(\{/);
	});
});
