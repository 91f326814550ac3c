/**
 * Demo people for local development: seeded with the demo sites (users, Discord accounts,
 * memberships) and offered by the dev sign-in when DEV_LOGIN is on (development servers only). The ids look
 * like Discord snowflakes but belong to nobody: they start with 1000000000000000.
 */
export interface DemoIdentity {
	discordId: string;
	name: string;
	/** Shown next to the name on the dev sign-in list. */
	description: string;
	/** Memberships seeded with the demo sites: site slug → role. */
	roles: Record<string, 'owner' | 'admin' | 'editor'>;
}

/**
 * The dev super admin. Never listed in SUPER_ADMIN_DISCORD_IDS: it counts as super admin only
 * while DEV_LOGIN is on (see auth/super-admin.ts), which start-up refuses on a production server
 * or a public PLATFORM_DOMAIN, so a production server never honours it.
 */
export const DEV_SUPER_ADMIN_DISCORD_ID = '100000000000000001';

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
	{
		discordId: DEV_SUPER_ADMIN_DISCORD_ID,
		name: 'Sam Rivera',
		description: 'Super admin (every site)',
		roles: {}
	},
	{
		discordId: '100000000000000011',
		name: 'Bea Okafor',
		description: 'Owner of Bad Movies Theater',
		roles: { 'bad-movies-theater': 'owner' }
	},
	{
		discordId: '100000000000000012',
		name: 'Theo Lindqvist',
		description: 'Editor at Bad Movies Theater',
		roles: { 'bad-movies-theater': 'editor' }
	},
	{
		discordId: '100000000000000021',
		name: 'Priya Natarajan',
		description: 'Owner of Paper Cuts, admin at Night Market',
		roles: { 'paper-cuts': 'owner', 'night-market': 'admin' }
	},
	{
		discordId: '100000000000000031',
		name: 'Jonas Weber',
		description: 'Owner of Night Market Sessions',
		roles: { 'night-market': 'owner' }
	},
	{
		discordId: '100000000000000099',
		name: 'Alex Visitor',
		description: 'Signed in, no role anywhere',
		roles: {}
	}
];

export function demoIdentity(discordId: string): DemoIdentity | undefined {
	return DEMO_IDENTITIES.find((i) => i.discordId === discordId);
}
