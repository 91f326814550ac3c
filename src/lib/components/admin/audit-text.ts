/**
 * What an audit entry says happened, in the person's language: "{actor} created event X". The
 * actor is shown before it (every shipped language puts the subject first); an action this list
 * does not know yet shows as its code.
 *
 * An entry keeps its target as its owner named it (a title, a name) and the rest of the sentence
 * as codes in `detail` (a role, a direction), so it reads in whichever language its reader has.
 * Older rows have no detail; some of their targets are English words, shown as before, but for the
 * few fixed phrases the services used to write, which are dropped (see LEGACY_PHRASES).
 */
import { m } from '$lib/paraglide/messages';
import { roleInText } from './roles';
import type { AuditDetail } from '$lib/server/queries/audit';

type Say = (inputs: { target: string }) => string;

const SAY: Record<string, Say> = {
	'event.create': m.admin_audit_event_create,
	'event.update': m.admin_audit_event_update,
	'event.delete': m.admin_audit_event_delete,
	'event.cancel': m.admin_audit_event_cancel,
	'event.duplicate': m.admin_audit_event_duplicate,
	'event.restore': m.admin_audit_event_restore,
	'settings.slug': m.admin_audit_settings_slug,
	'asset.alt': m.admin_audit_asset_alt,
	'asset.delete': m.admin_audit_asset_delete,
	'asset.upload': m.admin_audit_upload,
	'site.logo': m.admin_audit_site_logo,
	'site.background': m.admin_audit_site_background,
	'member.invite_revoke': m.admin_audit_member_invite_revoke,
	'member.transfer_ownership': m.admin_audit_member_transfer_ownership,
	'page.create': m.admin_audit_page_create,
	'page.update': m.admin_audit_page_update,
	'page.delete': m.admin_audit_page_delete,
	'home.update': m.admin_audit_home_update,
	'settings.update': m.admin_audit_settings_update,
	'branding.update': m.admin_audit_branding_update,
	'media.upload': m.admin_audit_upload,
	'media.delete': m.admin_audit_asset_delete,
	'links.update': m.admin_audit_links_update,
	'links.delete': m.admin_audit_links_delete,
	'links.move': m.admin_audit_links_move_up,
	'domain.add': m.admin_audit_domain_add,
	'domain.remove': m.admin_audit_domain_remove,
	'domain.verify': m.admin_audit_domain_verify,
	'domain.primary': m.admin_audit_domain_primary,
	'member.invite': m.admin_audit_member_invite,
	'member.role': m.admin_audit_member_role,
	'member.remove': m.admin_audit_member_remove,
	'member.join': m.admin_audit_member_join,
	'member.bootstrap_owner': m.admin_audit_member_bootstrap_owner,
	'event.publish_scheduled': m.admin_audit_event_publish_scheduled,
	'page.publish_scheduled': m.admin_audit_page_publish_scheduled,
	'events.timezone': m.admin_audit_events_timezone,
	'series.create': m.admin_audit_series_create,
	'series.update': m.admin_audit_series_update,
	'series.split': m.admin_audit_series_split,
	'series.delete.all': m.admin_audit_series_delete,
	'series.delete.future': m.admin_audit_series_delete,
	'event.revision_restore': m.admin_audit_revision_restore,
	'page.revision_restore': m.admin_audit_revision_restore,
	'home.revision_restore': m.admin_audit_home_revision_restore,
	'series.revision_restore': m.admin_audit_revision_restore,
	'place.create': m.admin_audit_place_create,
	'place.update': m.admin_audit_place_update,
	'place.delete': m.admin_audit_place_delete,
	'tag.create': m.admin_audit_tag_create,
	'tag.update': m.admin_audit_tag_update,
	'tag.delete': m.admin_audit_tag_delete,
	'site.background_focus': m.admin_audit_site_background_focus,
	'asset.sweep': m.admin_audit_asset_sweep,
	'domain.misconfigure': m.admin_audit_domain_misconfigure,
	'domain.restore': m.admin_audit_domain_restore,
	'domain.detach': m.admin_audit_domain_detach,
	'discord.webhook': m.admin_audit_discord_webhook,
	'discord.announce': m.admin_audit_discord_announce,
	'discord.events': m.admin_audit_discord_events,
	'discord.resync': m.admin_audit_discord_resync,
	'discord.disconnect': m.admin_audit_discord_disconnect,
	'fediverse.enabled': m.admin_audit_fediverse_enabled,
	'fediverse.disabled': m.admin_audit_fediverse_disabled,
	'fediverse.follower_remove': m.admin_audit_fediverse_follower_remove,
	'follower.remove': m.admin_audit_follower_remove,
	'followers.schedule': m.admin_audit_followers_schedule,
	'settings.hub_listed': m.admin_audit_settings_hub_listed,
	'settings.hub_unlisted': m.admin_audit_settings_hub_unlisted,
	// The platform's own changes (hub panel), on its activity feed.
	'site.create': m.hub_audit_site_create,
	'site.suspend': m.hub_audit_site_suspend,
	'site.resume': m.hub_audit_site_resume,
	'site.delete': m.hub_audit_site_delete,
	'job.retry': m.hub_audit_job_retry,
	'job.cancel': m.hub_audit_job_cancel
};

const ROLES = new Set(['owner', 'admin', 'editor']);
type Role = 'owner' | 'admin' | 'editor';
const role = (detail: AuditDetail, key = 'role'): string | undefined => {
	const value = detail[key];
	return typeof value === 'string' && ROLES.has(value) ? roleInText(value as Role) : undefined;
};

/** Sentences that need the entry's detail; undefined when the detail is not what they expect. */
const SAY_WITH: Record<string, (target: string, detail: AuditDetail) => string | undefined> = {
	'member.invite': (target, d) => {
		const as = role(d);
		if (!as) return undefined;
		if (d.via === 'discord') return m.admin_audit_member_invite_discord({ target, role: as });
		return d.via === 'email' ? m.admin_audit_member_invite_email({ role: as }) : m.admin_audit_member_invite_link({ role: as });
	},
	'member.invite_revoke': (_, d) => {
		const as = role(d);
		return as && m.admin_audit_member_invite_revoke_as({ role: as });
	},
	'member.role': (target, d) => {
		const from = role(d, 'from');
		const to = role(d, 'to');
		return from && to && m.admin_audit_member_role_change({ target, from, to });
	},
	'member.remove': (target, d) => {
		const as = role(d);
		return as && m.admin_audit_member_remove_as({ target, role: as });
	},
	'member.join': (_, d) => {
		const as = role(d);
		return as && m.admin_audit_member_join_as({ role: as });
	},
	'links.move': (_, d) => (d.direction === 'down' ? m.admin_audit_links_move_down() : m.admin_audit_links_move_up()),
	'discord.events': (_, d) =>
		d.sync === 'on' ? m.admin_audit_discord_events_on() : d.sync === 'off' ? m.admin_audit_discord_events_off() : undefined,
	// An image without a file name (older rows: its kind, in English).
	'asset.upload': (target) => (target ? undefined : m.admin_audit_upload_unnamed()),
	'media.upload': (target) => (target ? undefined : m.admin_audit_upload_unnamed()),
	'asset.delete': (target) => (target ? undefined : m.admin_audit_asset_delete_unnamed()),
	'media.delete': (target) => (target ? undefined : m.admin_audit_asset_delete_unnamed())
};

const KINDS = ['logo', 'background', 'event', 'page'];
const drop = (phrases: string[]) => (target: string) => (phrases.includes(target) ? { target: '' } : undefined);

/**
 * Older rows, written before `detail`, said in English in their target what the detail says now
 * (`Ana: editor → admin`, `moved up`, an asset's kind for a missing file name): read back, so they
 * too read in any language. A target of another shape is shown as it is.
 */
const LEGACY: Record<string, (target: string) => { target: string; detail?: AuditDetail } | undefined> = {
	'member.invite': (t) => {
		const [, discordId, email, as] = /^(?:Discord (\S+)|invite link( by e-mail)?) as (owner|admin|editor)$/.exec(t) ?? [];
		return as ? { target: discordId ?? '', detail: { role: as, via: discordId ? 'discord' : email ? 'email' : 'link' } } : undefined;
	},
	'member.invite_revoke': (t) => (ROLES.has(t) ? { target: '', detail: { role: t } } : undefined),
	'member.role': (t) => {
		const [, name, from, to] = /^(.*): (owner|admin|editor) → (owner|admin|editor)$/.exec(t) ?? [];
		return to ? { target: name!, detail: { from: from!, to } } : undefined;
	},
	'member.remove': (t) => {
		const [, name, as] = /^(.*) \((owner|admin|editor)\)$/.exec(t) ?? [];
		return as ? { target: name!, detail: { role: as } } : undefined;
	},
	'member.join': (t) => {
		const [, name, as] = /^(.*) as (owner|admin|editor) \((?:invitation|invite link)\)$/.exec(t) ?? [];
		return as ? { target: name!, detail: { role: as } } : undefined;
	},
	'discord.events': (t) => (t === 'sync on' || t === 'sync off' ? { target: '', detail: { sync: t.slice(5) } } : undefined),
	'branding.update': drop(['colours and fonts']),
	'links.update': drop(['deleted', 'moved up', 'moved down']),
	'follower.remove': drop(['a follower']),
	'asset.upload': drop(KINDS),
	'asset.delete': drop(KINDS)
};

export function auditText(action: string, target: string, detail?: AuditDetail | null): string {
	if (!detail) ({ target, detail } = LEGACY[action]?.(target) ?? { target });
	const said = SAY_WITH[action]?.(target, detail ?? {});
	if (said) return said;
	const say = SAY[action];
	return say ? say({ target }).trim() : `${action} ${target}`;
}

/** Who did it: the person's name; the platform's own jobs write 'system' (services/actor.ts systemActor). */
export const auditActorName = (name: string | null | undefined) =>
	name === 'system' ? m.admin_audit_system() : name || m.admin_audit_someone();
