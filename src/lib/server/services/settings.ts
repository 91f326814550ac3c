/**
 * A site's own settings (admins and up): name, tagline, description, timezone, contact; the
 * address (slug); branding (colours, fonts, logo, background).
 *
 * Changing the timezone asks what happens to the events: by default they keep their local times
 * (the film night stays at 18:00, now 18:00 in the new zone), or they keep their instants (the
 * same moment, shown at another clock time).
 */
import { z } from 'zod';
import { notFound } from '../errors';
import { fields, parseInput, say } from '../input';
import { m } from '../../paraglide/messages';
import { and, eq } from 'drizzle-orm';
import { db } from '../db';
import { event as eventTable } from '../db/schema';
import { changeSiteSlug, updateSiteSettings, updateSiteTheme, SLUG_REDIRECT_DAYS, type SiteRow } from '../queries/sites';
import { attachSiteImage, deleteAsset } from '../media';
import { FONT_KEYS } from '../../theme';
import { localeSchema } from '../../i18n';
import { instantFromWallTime, wallTime } from '../../time';
import { allow, auditActor, type SiteActor } from './actor';
import { requireFreeSlug, slugSchema, TAKEN_SLUG, timezoneSchema } from './sites';
import { storeImage } from './media';
import { write } from './write';

export { SLUG_REDIRECT_DAYS };

const settingsSchema = z.object({
	name: fields.required(120, m.admin_field_name),
	tagline: fields.text(200, m.admin_field_tagline),
	description: fields.text(1000, m.admin_field_description),
	timezone: timezoneSchema,
	/** The public site's language (absent: unchanged). */
	locale: localeSchema.optional(),
	/** When the timezone changes: keep each event's local clock time (default) or its instant. */
	eventTimes: z.enum(['local', 'instant'], say(m.admin_error_event_times)).default('local'),
	contactEmail: z
		.union([z.literal(''), z.string().trim().max(254, say(m.admin_error_email_too_long)).email(say(m.admin_error_email_format))])
		.transform((v) => v || null),
	/** "List our events in the hub calendar" (unticked: not listed), and the city it is listed under. */
	hubListed: fields.checkbox(),
	hubCity: fields.text(80, m.fediverse_settings_hub_city)
});

/** Every event of the site moved so that its clock times in `to` are what they were in `from`. */
async function keepLocalTimes(siteId: string, from: string, to: string): Promise<number> {
	const rows = await db().select().from(eventTable).where(eq(eventTable.siteId, siteId));
	const move = (d: Date) => instantFromWallTime(wallTime(d, from), to);
	for (const row of rows) {
		await db()
			.update(eventTable)
			.set({ startsAt: move(row.startsAt), endsAt: row.endsAt ? move(row.endsAt) : null })
			.where(and(eq(eventTable.siteId, siteId), eq(eventTable.id, row.id)));
	}
	return rows.length;
}

export async function updateSettings(actor: SiteActor, input: unknown): Promise<SiteRow> {
	const who = allow(actor, 'site.settings');
	const { eventTimes, ...settings } = parseInput(settingsSchema, input);
	const siteId = who.site.id;
	const from = who.site.timezone;
	const listingChanged = settings.hubListed !== who.site.hubListed || (settings.hubListed && settings.hubCity !== who.site.hubCity);
	return write({ siteId, actor: auditActor(who) }, async (w) => {
		const row = await updateSiteSettings(siteId, settings);
		if (!row) throw notFound();
		await w.audit({ action: 'settings.update', targetType: 'site', targetId: siteId, target: settings.name });
		if (from !== settings.timezone && eventTimes === 'local') {
			const moved = await keepLocalTimes(siteId, from, settings.timezone);
			if (moved)
				await w.audit({
					action: 'events.timezone',
					targetType: 'site',
					targetId: siteId,
					detail: { events: moved, from, to: settings.timezone }
				});
		}
		// Name, tagline, timezone and language live in the cached site context.
		w.changed({ type: 'hosts', siteId, hosts: [] });
		if (listingChanged) {
			await w.audit({
				action: settings.hubListed ? 'settings.hub_listed' : 'settings.hub_unlisted',
				targetType: 'site',
				targetId: siteId,
				target: settings.hubCity || settings.name
			});
			w.changed({ type: 'listing', siteId });
		}
		return row;
	});
}

/**
 * Rename the site's slug (its `<slug>.<PLATFORM_DOMAIN>` address). The old subdomain answers 301
 * for SLUG_REDIRECT_DAYS, until another collective takes the old name (queries/sites.ts).
 */
export async function changeSlug(actor: SiteActor, input: unknown): Promise<{ slug: string; changed: boolean }> {
	const who = allow(actor, 'site.slug');
	const { slug } = parseInput(z.object({ slug: slugSchema }), input);
	const siteId = who.site.id;
	if (slug === who.site.slug) return { slug, changed: false };
	await requireFreeSlug(slug);
	await write({ siteId, actor: auditActor(who), unique: TAKEN_SLUG }, async (w) => {
		const result = await changeSiteSlug(siteId, slug);
		if (!result) throw notFound();
		await w.audit({ action: 'settings.slug', targetType: 'site', targetId: siteId, target: `${result.oldSlug} → ${slug}` });
		w.changed({ type: 'hosts', siteId, hosts: [], slugs: [result.oldSlug, slug] });
		for (const other of result.freedFrom) w.changed({ type: 'hosts', siteId: other, hosts: [], slugs: [slug] });
	});
	return { slug, changed: true };
}

const hex = (label: () => string) =>
	z
		.string()
		.trim()
		.toLowerCase()
		.regex(
			/^#[0-9a-f]{6}$/,
			say(() => m.site_admin_error_colour({ label: label() }))
		);
const optionalHex = (label: () => string) =>
	z
		.union([z.literal(''), hex(label)])
		.optional()
		.transform((v) => v || undefined);

const brandingSchema = z.object({
	mode: z.enum(['light', 'dark'], say(m.site_admin_error_mode)),
	accent: hex(m.site_admin_branding_accent),
	background: optionalHex(m.site_admin_branding_background),
	text: optionalHex(m.site_admin_branding_text),
	bodyFont: z.enum(FONT_KEYS, say(m.site_admin_error_font)),
	headingFont: z.enum(FONT_KEYS, say(m.site_admin_error_font))
});

export async function updateBranding(actor: SiteActor, input: unknown): Promise<void> {
	const who = allow(actor, 'site.branding');
	const theme = parseInput(brandingSchema, input);
	const siteId = who.site.id;
	await write({ siteId, actor: auditActor(who) }, async (w) => {
		if (!(await updateSiteTheme(siteId, theme))) throw notFound();
		await w.audit({ action: 'branding.update', targetType: 'site', targetId: siteId });
		// The theme lives in the cached site context.
		w.changed({ type: 'hosts', siteId, hosts: [] });
	});
}

export type ImageSlot = 'logo' | 'background';

/** Upload an image into the logo or background slot; the previous image stays in the media library. */
export async function uploadSiteImage(actor: SiteActor, slot: ImageSlot, input: Record<string, unknown>): Promise<void> {
	const who = allow(actor, 'site.branding');
	const { alt } = parseInput(z.object({ alt: fields.text(500, m.admin_field_description) }), { alt: input[`${slot}Alt`] });
	// Without a description: the site's name and the slot, in the uploader's language.
	const fallback = `${who.site.name} – ${(slot === 'logo' ? m.site_admin_branding_logo : m.site_admin_branding_background_image)()}`;
	const asset = await storeImage(who, slot, slot, input, alt || fallback);
	try {
		await attachSiteImage(who.site.id, slot, asset.id, auditActor(who));
	} catch (error) {
		await deleteAsset(who.site.id, asset.id).catch(() => {});
		throw error;
	}
}

export async function clearSiteImage(actor: SiteActor, slot: ImageSlot): Promise<void> {
	const who = allow(actor, 'site.branding');
	await attachSiteImage(who.site.id, slot, null, auditActor(who));
}
