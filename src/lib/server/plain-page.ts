/**
 * A small self-contained HTML page for answers given before any site is known (no site here,
 * paused, unavailable): no platform internals, no stack trace, readable on any screen.
 */
import { escapeHtml } from './escape';

export function plainPageHtml(title: string, message: string): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f4ef;color:#1d1d1f;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:32rem;padding:2rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
p{margin:0;color:#4a4a4f}
@media (prefers-color-scheme:dark){body{background:#17171a;color:#f2f2f2}p{color:#c5c5cc}}
</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body>
</html>
`;
}

export function plainPage(status: number, title: string, message: string, headers: Record<string, string> = {}): Response {
	return new Response(plainPageHtml(title, message), {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});
}
