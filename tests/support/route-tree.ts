/**
 * The admin routes and their form actions, read from the route tree itself (not a hand list), so
 * security tests cover every screen added later: each `+page.server.ts` under a folder, its URL
 * (with [params]) and the keys of its `export const actions = { … }`, found with the TypeScript
 * compiler's parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface RouteInfo {
	/** URL path with [param] segments, e.g. /admin/events/[id]. */
	path: string;
	params: string[];
	actions: string[];
	hasLoad: boolean;
}

function actionsOf(source: string, file: string): { actions: string[]; hasLoad: boolean } {
	const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
	const actions: string[] = [];
	let hasLoad = false;
	for (const statement of sf.statements) {
		if (!ts.isVariableStatement(statement)) continue;
		if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
		for (const decl of statement.declarationList.declarations) {
			const name = decl.name.getText(sf);
			if (name === 'load') hasLoad = true;
			if (name !== 'actions' || !decl.initializer) continue;
			let init: ts.Expression = decl.initializer;
			while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)) init = init.expression;
			if (!ts.isObjectLiteralExpression(init)) throw new Error(`${file}: actions is not an object literal`);
			for (const p of init.properties) if (p.name) actions.push(p.name.getText(sf));
		}
	}
	return { actions, hasLoad };
}

/** Every page route below `routesDir/<sub>`, URL-mapped as `urlPrefix` + the folder path. */
export function routesUnder(routesDir: string, sub: string, urlPrefix: string): RouteInfo[] {
	const root = path.join(routesDir, sub);
	const out: RouteInfo[] = [];
	for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile() || entry.name !== '+page.server.ts') continue;
		const rel = path.relative(root, entry.parentPath).split(path.sep).filter(Boolean);
		const file = path.join(entry.parentPath, entry.name);
		const { actions, hasLoad } = actionsOf(readFileSync(file, 'utf8'), file);
		out.push({
			path: urlPrefix + (rel.length ? `/${rel.join('/')}` : ''),
			params: rel.filter((s) => s.startsWith('[')).map((s) => s.slice(1, -1)),
			actions: actions.map((a) => (a === 'default' ? '' : a)),
			hasLoad
		});
	}
	return out.sort((a, b) => a.path.localeCompare(b.path));
}
