/** Bump when the rendered HTML for the same Markdown changes: stored rows are then re-rendered (server/rich-text.ts). */
export const RENDER_VERSION = 1;
