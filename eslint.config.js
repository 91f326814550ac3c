// eslint as the SvelteKit scaffold sets it up (typescript-eslint + eslint-plugin-svelte, prettier for layout).
import prettier from 'eslint-config-prettier';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'src/lib/paraglide/', '.tools/', 'data/', 'coverage/', 'migrations/', 'scripts/bench/kit/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// TypeScript checks undefined names itself (svelte-check); the core rule misreads types.
			'no-undef': 'off',
			// `_name` marks a value deliberately left unused (destructuring it away).
			// Hosts, paths and XML are checked for control characters on purpose, to refuse them.
			'no-control-regex': 'off',
			// One route tree serves many hosts without a base path: admin links are built from
			// adminBase() (site host or /sites/<slug>/admin on the hub), not from resolve().
			'svelte/no-navigation-without-resolve': 'off',
			// {' · '} and {'Cancelled: '} keep spaces that markup formatting would otherwise eat.
			'svelte/no-useless-mustaches': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	}
);
