/** A role's name in the person's language. */
import { m } from '$lib/paraglide/messages';

const ROLE_NAME = { owner: m.admin_role_owner, admin: m.admin_role_admin, editor: m.admin_role_editor } as const;

export const roleName = (role: keyof typeof ROLE_NAME): string => ROLE_NAME[role]();
