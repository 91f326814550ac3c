/**
 * What an audit entry says happened, in the person's language: "{actor} created event X". The
 * actor is shown before it (every shipped language puts the subject first); an action this list
 * does not know yet shows as its code.
 */
import { m } from '$lib/paraglide/messages';

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
	'home.revision_restore': m.admin_audit_revision_restore,
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

export function auditText(action: string, target: string): string {
	const say = SAY[action];
	return say ? say({ target }).trim() : `${action} ${target}`;
}

/** Who did it: the person's name; the platform's own jobs write 'system' (services/actor.ts systemActor). */
export const auditActorName = (name: string | null | undefined) =>
	name === 'system' ? m.admin_audit_system() : name || m.admin_audit_someone();
