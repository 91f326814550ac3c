/** How to find someone's Discord user id, for every field that asks for one. */
export const FIND_DISCORD_ID =
	'To find it: in Discord, turn on User Settings → Advanced → Developer Mode, then right-click the person and choose Copy User ID.';
