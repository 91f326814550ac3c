/**
 * Weekday names and lists in a language, from Intl (no hand-written names): "Tuesday and
 * Friday", „Dienstag und Freitag“, « mardi et vendredi ». Formatters cached per locale.
 */
export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

const names = new Map<string, Record<WeekdayCode, string>>();
const lists = new Map<string, Intl.ListFormat>();

/** A weekday's full name in `locale` (1 January 2024 was a Monday). */
export function weekdayName(code: WeekdayCode, locale: string): string {
	let byCode = names.get(locale);
	if (!byCode) {
		const format = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
		byCode = Object.fromEntries(WEEKDAY_CODES.map((c, i) => [c, format.format(Date.UTC(2024, 0, 1 + i))])) as Record<WeekdayCode, string>;
		names.set(locale, byCode);
	}
	return byCode[code];
}

/** "A, B and C" in `locale`. */
export function andList(items: string[], locale: string): string {
	let format = lists.get(locale);
	if (!format) lists.set(locale, (format = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' })));
	return format.format(items);
}
