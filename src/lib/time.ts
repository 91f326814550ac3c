/**
 * Time zone arithmetic for events. Instants are stored in UTC (timestamptz); what people type
 * and read is wall-clock time in the site's IANA time zone.
 *
 * Intl.DateTimeFormat objects are expensive to build (see STACK-NOTES: 4× page throughput), so
 * they are cached per (locale, time zone, options) and reused.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
/** The same, found by the options object itself (callers pass module constants): no JSON per call. */
const byOptions = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

export function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	let forOptions = byOptions.get(options);
	if (!forOptions) byOptions.set(options, (forOptions = new Map()));
	const short = `${locale}|${timeZone}`;
	let f = forOptions.get(short);
	if (f) return f;
	const key = `${short}|${JSON.stringify(options)}`;
	f = formatters.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
		formatters.set(key, f);
	}
	forOptions.set(short, f);
	return f;
}

/**
 * A small memo for pure formatting results (an event's time reads the same on every page and
 * every render): bounded, emptied when full rather than tracking recency.
 */
export function memo<V>(max: number): (key: string, make: () => V) => V {
	const values = new Map<string, V>();
	return (key, make) => {
		let value = values.get(key);
		if (value === undefined) {
			if (values.size >= max) values.clear();
			value = make();
			values.set(key, value);
		}
		return value;
	};
}

const validZones = new Map<string, boolean>();

export function isValidTimeZone(timeZone: string): boolean {
	let ok = validZones.get(timeZone);
	if (ok === undefined) {
		try {
			new Intl.DateTimeFormat('en', { timeZone });
			ok = timeZone.length <= 64;
		} catch {
			ok = false;
		}
		if (validZones.size < 1000) validZones.set(timeZone, ok);
	}
	return ok;
}

/** Every IANA zone this runtime knows, for the settings picker. */
export function timeZones(): string[] {
	const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
	return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export interface WallTime {
	year: number;
	month: number; // 1-12
	day: number;
	hour: number;
	minute: number;
}

/** Wall-clock parts of an instant in a zone. */
const WALL_TIME: Intl.DateTimeFormatOptions = {
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	hourCycle: 'h23'
};
const wallTimes = memo<Readonly<WallTime>>(50_000);

export function wallTime(instant: Date, timeZone: string): Readonly<WallTime> {
	return wallTimes(`${timeZone}|${instant.getTime()}`, () => {
		const parts = formatter('en-US', timeZone, WALL_TIME).formatToParts(instant);
		const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
		return Object.freeze({ year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') });
	});
}

/** Offset of the zone from UTC at an instant, in minutes (e.g. +120 for CEST). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
	const w = wallTime(instant, timeZone);
	const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
	const truncated = Math.floor(instant.getTime() / 60_000) * 60_000;
	return Math.round((asUtc - truncated) / 60_000);
}

/**
 * The instant at which a zone's clocks show `wall`. In a spring-forward gap (a time that does not
 * exist) the result is moved forward by the gap, as calendars do; in a fall-back overlap (a time
 * that happens twice) the first occurrence is taken.
 */
export function instantFromWallTime(wall: WallTime, timeZone: string): Date {
	const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
	// Try the offsets in force a day either side; one of them is right unless `wall` is in a gap.
	const candidates = [
		naive - zoneOffsetMinutes(new Date(naive - 86_400_000), timeZone) * 60_000,
		naive - zoneOffsetMinutes(new Date(naive + 86_400_000), timeZone) * 60_000
	].sort((a, b) => a - b);
	for (const t of candidates) {
		const w = wallTime(new Date(t), timeZone);
		if (w.year === wall.year && w.month === wall.month && w.day === wall.day && w.hour === wall.hour && w.minute === wall.minute) {
			return new Date(t);
		}
	}
	// In a gap: use the offset from before the transition, which lands after the gap.
	return new Date(naive - zoneOffsetMinutes(new Date(naive - 86_400_000), timeZone) * 60_000);
}

/** Parse `YYYY-MM-DDTHH:MM` (an <input type="datetime-local"> value) as wall time. */
export function parseLocalDateTime(value: string): WallTime | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(value.trim());
	if (!m) return null;
	const wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0) };
	const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
	if (
		check.getUTCFullYear() !== wall.year ||
		check.getUTCMonth() !== wall.month - 1 ||
		check.getUTCDate() !== wall.day ||
		wall.hour > 23 ||
		wall.minute > 59
	) {
		return null;
	}
	return wall;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Format an instant as `YYYY-MM-DDTHH:MM` in a zone (an <input type="datetime-local"> value). */
export function localDateTimeInput(instant: Date, timeZone: string): string {
	const w = wallTime(instant, timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Format an instant as `YYYY-MM-DD` in a zone (all-day events). */
export function toLocalDateInput(instant: Date, timeZone: string): string {
	const w = wallTime(instant, timeZone);
	return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}
