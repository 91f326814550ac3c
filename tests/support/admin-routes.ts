/**
 * The admin screens and their form actions, read from the route tree (not a hand list), so the
 * security tests cover every section as soon as it lands. Each +page.server.ts under the admin
 * folders is parsed with the TypeScript compiler API and the keys of its exported `actions` object
 * are collected (`default` included).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface AdminRoute {
	/** URL path on a site host (or on the hub for hub/admin), params left as [name]. */
	path: string;
	/** Route-file folder relative to src/routes. */
	dir: string;
	hasPage: boolean;
	actions: string[];
	params: string[];
}

const ROUTES = path.resolve('src/routes');
/** Admin trees and the URL prefix each is served at. */
const TREES: Array<{ dir: string; prefix: string; hub: boolean }> = [
	{ dir: 'admin', prefix: '/admin', hub: false },
	{ dir: 'hub/admin', prefix: '/admin', hub: true }
];

function walk(dir: string): string[] {
	let out: string[] = [];
	for (const name of readdirSync(dir)) {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) out = out.concat(walk(full));
		else out.push(full);
	}
	return out;
}

/** Keys of `export const actions = { ... }` (possibly `satisfies Actions` / `as Actions`). */
export function actionNames(source: string): string[] {
	const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
	const names: string[] = [];
	const unwrap = (e: ts.Expression): ts.Expression =>
		ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e) ? unwrap(e.expression) : e;
	for (const stmt of file.statements) {
		if (!ts.isVariableStatement(stmt) || !stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
		for (const decl of stmt.declarationList.declarations) {
			if (!ts.isIdentifier(decl.name) || decl.name.text !== 'actions' || !decl.initializer) continue;
			const init = unwrap(decl.initializer);
			if (!ts.isObjectLiteralExpression(init)) continue;
			for (const p of init.properties) {
				const n = p.name;
				if (n && (ts.isIdentifier(n) || ts.isStringLiteral(n))) names.push(n.text);
			}
		}
	}
	return names;
}

export function adminRoutes(): Array<AdminRoute & { hub: boolean }> {
	const routes: Array<AdminRoute & { hub: boolean }> = [];
	for (const tree of TREES) {
		const root = path.join(ROUTES, tree.dir);
		let files: string[];
		try {
			files = walk(root);
		} catch {
			continue;
		}
		const dirs = new Set(files.filter((f) => /\+page(\.server)?\.(ts|svelte)$/.test(f)).map((f) => path.dirname(f)));
		for (const d of [...dirs].sort()) {
			const rel = path.relative(root, d).split(path.sep).filter(Boolean);
			const segments = rel.filter((s) => !/^\(.*\)$/.test(s));
			const server = path.join(d, '+page.server.ts');
			let actions: string[] = [];
			try {
				actions = actionNames(readFileSync(server, 'utf8'));
			} catch {
				/* no +page.server.ts: a page without actions */
			}
			routes.push({
				path: [tree.prefix, ...segments].join('/'),
				dir: path.join(tree.dir, ...rel),
				hasPage: true,
				actions,
				params: segments.filter((s) => s.startsWith('[')).map((s) => s.replace(/^\[+\.*|\]+$/g, '')),
				hub: tree.hub
			});
		}
	}
	return routes;
}

/** `?/name` for named actions, nothing for `default`. */
export function actionUrl(routePath: string, action: string): string {
	return action === 'default' ? routePath : `${routePath}?/${action}`;
}
