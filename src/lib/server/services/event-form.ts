/**
 * The event editor's form: what the fields mean and how they become an event row. Dates and times
 * are entered as wall time in the site's timezone (what organisers think in) and stored as
 * instants; an all-day event runs from midnight of its first day to midnight after its last day,
 * like the demo data and the public pages expect (see src/lib/event-time.ts).
 */
import { z } from 'zod';
import { fields, say, slugify } from '../input';
import { m } from '../../paraglide/messages';
import { instantFromWallTime, localDateTimeInput, parseLocalDateTime, toLocalDateInput, wallTime } from '../../time';
import type { EventInput, EventRow, EventStatus } from '../queries/events';
import type { AssetRow } from '../queries/assets';
import { imageSource } from '../../media-url';
import { mediaBase } from '../media-base';
import { SAVE_INTENTS, publishAtField } from './save-intent';

/** When the online link appears: always, or this many minutes before the start. */
export const ONLINE_REVEAL_CHOICES = ['', '15', '60', '1440'] as const;

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const satisfies readonly EventStatus[];

const date = (label: () => string) =>
	z
		.string()
		.trim()
		.regex(
			/^\d{4}-\d{2}-\d{2}$/,
			say(() => m.admin_error_pick_date({ label: label() }))
		);
const optionalDate = (label: () => string) =>
	z
		.union([z.literal(''), date(label)])
		.optional()
		.default('');
const time = z
	.union([
		z.literal(''),
		z
			.string()
			.trim()
			.regex(/^\d{2}:\d{2}$/, say(m.admin_error_time_format))
	])
	.optional()
	.default('');

export const eventFormSchema = z.object({
	title: fields.required(200, m.admin_field_title),
	slug: z
		.union([z.literal(''), fields.slug(m.admin_field_web_address)])
		.optional()
		.default(''),
	/** Which button saved it: Publish, Save draft, or Save (keeps the status). */
	intent: z.enum(SAVE_INTENTS, say(m.admin_error_save_intent)).optional(),
	/** The status itself, for clients that set it directly (no button): overrides nothing else. */
	status: z.enum(EVENT_STATUSES, say(m.admin_error_event_status)).optional(),
	/** With "Schedule": when the draft publishes by itself (wall time in the site's timezone). */
	publishAt: publishAtField,
	allDay: fields.checkbox(),
	startDate: date(m.admin_event_start_date),
	startTime: time,
	endDate: optionalDate(m.admin_event_end_date),
	endTime: time,
	venueName: fields.text(200, m.admin_event_venue),
	venueAddress: fields.text(500, m.admin_event_address),
	ticketUrl: fields.optionalUrl(m.admin_event_ticket_link),
	/** One of the site's places (its name and address are copied to the event), or empty for a typed venue. */
	placeId: z
		.union([z.literal(''), z.uuid(say(m.events_admin_error_choose_place))])
		.optional()
		.default(''),
	/** The site's tags: the service checks that each id is one of them. */
	tagIds: z
		.union([
			z.uuid(say(m.events_admin_error_unknown_tag)),
			z.array(z.uuid(say(m.events_admin_error_unknown_tag))).max(
				20,
				say(() => m.events_admin_error_too_many_tags({ max: 20 }))
			)
		])
		.optional()
		.transform((v) => (v === undefined ? [] : [...new Set(Array.isArray(v) ? v : [v])])),
	onlineUrl: fields.optionalUrl(m.events_admin_online_url),
	/** Minutes before the start from which the online link shows; empty: always. */
	onlineReveal: z.enum(ONLINE_REVEAL_CHOICES, say(m.events_admin_error_online_reveal)).optional().default(''),
	description: fields.markdown(20_000, m.admin_field_description),
	imageAlt: fields.text(500, m.admin_image_alt),
	removeImage: fields.checkbox()
});

export type EventForm = z.output<typeof eventFormSchema>;

const addDays = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The start and end instants, or field errors. Times must exist in the zone's calendar: a time
 * inside a spring-forward gap is taken as the moment after the gap (instantFromWallTime).
 */
export function eventTiming(
	form: EventForm,
	timeZone: string
): { ok: true; startsAt: Date; endsAt: Date | null } | { ok: false; errors: Record<string, string> } {
	const at = (day: string, hhmm: string) => {
		const wall = parseLocalDateTime(hhmm ? `${day}T${hhmm}` : day);
		return wall ? instantFromWallTime(wall, timeZone) : null;
	};
	if (form.allDay) {
		const startsAt = at(form.startDate, '');
		const lastDay = form.endDate || form.startDate;
		const endsAt = at(addDays(lastDay, 1), '');
		if (!startsAt) return { ok: false, errors: { startDate: m.admin_error_pick_date({ label: m.admin_event_start_date() }) } };
		if (!endsAt) return { ok: false, errors: { endDate: m.admin_error_pick_date({ label: m.admin_event_end_date() }) } };
		if (lastDay < form.startDate) return { ok: false, errors: { endDate: m.admin_error_last_before_first() } };
		return { ok: true, startsAt, endsAt };
	}
	if (!form.startTime) return { ok: false, errors: { startTime: m.admin_error_start_time_required() } };
	const startsAt = at(form.startDate, form.startTime);
	if (!startsAt) return { ok: false, errors: { startDate: m.admin_error_pick_date({ label: m.admin_event_start_date() }) } };
	if (!form.endTime && !form.endDate) return { ok: true, startsAt, endsAt: null };
	if (!form.endTime) return { ok: false, errors: { endTime: m.admin_error_end_time_missing() } };
	const endsAt = at(form.endDate || (endsNextDay(form) ? addDays(form.startDate, 1) : form.startDate), form.endTime);
	if (!endsAt) return { ok: false, errors: { endDate: m.admin_error_pick_date({ label: m.admin_event_end_date() }) } };
	if (endsAt < startsAt) return { ok: false, errors: { endTime: m.admin_error_ends_before_start() } };
	return { ok: true, startsAt, endsAt };
}

/** 20:00–02:00 without an end date: an end time before the start time means the next day. */
export function endsNextDay(form: Pick<EventForm, 'allDay' | 'endDate' | 'startTime' | 'endTime'>): boolean {
	return !form.allDay && !form.endDate && !!form.startTime && !!form.endTime && form.endTime < form.startTime;
}

export function eventInput(
	form: EventForm,
	slug: string,
	timing: { startsAt: Date; endsAt: Date | null },
	status: EventStatus
): Omit<EventInput, 'imageAssetId'> {
	return {
		slug,
		title: form.title,
		description: form.description,
		startsAt: timing.startsAt,
		endsAt: timing.endsAt,
		allDay: form.allDay,
		venueName: form.venueName,
		venueAddress: form.venueAddress,
		ticketUrl: form.ticketUrl,
		onlineUrl: form.onlineUrl,
		onlineRevealMinutes: form.onlineUrl && form.onlineReveal ? Number(form.onlineReveal) : null,
		placeId: form.placeId || null,
		status
	};
}

export function eventSlug(form: EventForm): string {
	return form.slug || slugify(form.title);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An event as the form's values (for editing, or for a duplicate). */
export function eventFormValues(row: EventRow, timeZone: string): Record<string, string> & { title: string } {
	const start = wallTime(row.startsAt, timeZone);
	const end = row.endsAt ? wallTime(row.endsAt, timeZone) : null;
	const values: Record<string, string> & { title: string } = {
		title: row.title,
		slug: row.slug,
		status: row.status,
		allDay: row.allDay ? 'on' : '',
		startDate: `${start.year}-${pad(start.month)}-${pad(start.day)}`,
		startTime: row.allDay ? '' : `${pad(start.hour)}:${pad(start.minute)}`,
		endDate: '',
		endTime: '',
		venueName: row.venueName,
		venueAddress: row.venueAddress,
		ticketUrl: row.ticketUrl ?? '',
		placeId: row.placeId ?? '',
		onlineUrl: row.onlineUrl ?? '',
		onlineReveal: row.onlineRevealMinutes === null ? '' : String(row.onlineRevealMinutes),
		description: row.description,
		imageAlt: '',
		publishAt: row.publishAt ? localDateTimeInput(row.publishAt, timeZone) : ''
	};
	if (row.allDay && row.endsAt) {
		// Stored end is midnight after the last day: show the last day itself.
		const last = toLocalDateInput(new Date(row.endsAt.getTime() - 1), timeZone);
		values.endDate = last === values.startDate ? '' : last;
	} else if (end) {
		const endDate = `${end.year}-${pad(end.month)}-${pad(end.day)}`;
		values.endTime = `${pad(end.hour)}:${pad(end.minute)}`;
		// An overnight end (the next day, before the start time) reads back as just the end time.
		const overnight = endDate === addDays(values.startDate!, 1) && values.endTime < values.startTime!;
		values.endDate = endDate === values.startDate || overnight ? '' : endDate;
	}
	return values;
}

/** A free slug for a copy: `<slug>-copy`, `<slug>-copy-2`, … */
export async function freeSlug(base: string, taken: (slug: string) => Promise<boolean>): Promise<string> {
	const stem = base.slice(0, 55);
	for (let n = 1; n < 100; n++) {
		const candidate = n === 1 ? `${stem}-copy` : `${stem}-copy-${n}`;
		if (!(await taken(candidate))) return candidate;
	}
	return `${stem}-${Date.now().toString(36)}`;
}

/** The image as the event and series editors show it: a preview, and its focal point and shape for the picker. */
export function editorImage(image: AssetRow | null | undefined) {
	return image
		? {
				src: imageSource(mediaBase(), image, 480).src,
				alt: image.altText,
				focalX: image.focalX,
				focalY: image.focalY,
				frame: image.frame,
				width: image.width,
				height: image.height
			}
		: null;
}
