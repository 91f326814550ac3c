/** The editors' save buttons (events and pages), one rule for what they leave. */

/** Publish it, keep it a draft, or keep its status. */
export const SAVE_INTENTS = ['publish', 'draft', 'save'] as const;
export type SaveIntent = (typeof SAVE_INTENTS)[number];

/** The status a save leaves: the button pressed decides; "save" keeps what it was (a new one: draft). */
export function statusAfterSave<S extends string>(
	intent: SaveIntent | undefined,
	explicit: S | undefined,
	current: S | undefined,
	states: { published: S; draft: S }
): S {
	if (intent === 'publish') return states.published;
	if (intent === 'draft') return states.draft;
	return explicit ?? current ?? states.draft;
}
