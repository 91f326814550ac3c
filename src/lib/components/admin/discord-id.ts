/** How to find someone's Discord user id, for every field that asks for one. */
import { m } from '$lib/paraglide/messages';

export const findDiscordId = () => m.admin_find_discord_id();
