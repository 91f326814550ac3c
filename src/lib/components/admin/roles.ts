/** A role's name in the person's language (used by the admin pages and the members service). */
import { m } from '../../paraglide/messages';
import { getLocale } from '../../paraglide/runtime';

const ROLE_NAME = { owner: m.admin_role_owner, admin: m.admin_role_admin, editor: m.admin_role_editor } as const;

export const roleName = (role: keyof typeof ROLE_NAME): string => ROLE_NAME[role]();

/** The name inside a sentence ("invite someone as owner"): lower case, except in German, whose nouns keep their capital. */
export const roleInText = (role: keyof typeof ROLE_NAME): string => {
	const locale = getLocale();
	return locale === 'de' ? roleName(role) : roleName(role).toLocaleLowerCase(locale);
};
