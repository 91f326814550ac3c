/**
 * The change bus: writes publish what they changed (`publishChange`, called by the write wrapper),
 * caches subscribe (`onChange`). Between processes it rides PostgreSQL's LISTEN/NOTIFY.
 */
export {
	CHANGE_CHANNEL,
	changeNumber,
	dispatchChange,
	lastChangeNumber,
	onChange,
	parseChangeMessage,
	publishChange,
	type ChangeMessage
} from './messages';
