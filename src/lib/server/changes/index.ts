/**
 * The change bus: writes publish what they changed (`publishChange`, called by the write wrapper),
 * caches subscribe (`onChange`). Between processes it rides PostgreSQL's LISTEN/NOTIFY.
 */
export { onChange, dispatchChange } from './bus';
export { CHANGE_CHANNEL, parseChangeMessage, publishChange, type ChangeMessage } from './messages';
