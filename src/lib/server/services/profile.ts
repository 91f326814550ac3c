/**
 * A person's own settings, whatever site they are on: the language of the admin and the hub
 * (server/i18n.ts). Remembered on their user row, so it follows them to every site and session.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { parseInput } from '../input';
import { localeSchema, type Locale } from '../../i18n';
import { setUserLocale } from '../queries/users';
import { m } from '../../paraglide/messages';
import { auditActor, type Person } from './actor';
import { write } from './write';

const languageSchema = z.object({ locale: localeSchema });

/** Remember the admin language of the signed-in person. */
export async function setAdminLanguage(actor: { user: Person | null }, input: unknown): Promise<Locale> {
	const person = actor.user;
	if (!person) throw new AppError('unauthorized', m.admin_error_sign_in());
	const { locale } = parseInput(languageSchema, input);
	await write({ siteId: null, actor: auditActor(actor) }, async () => {
		if (!(await setUserLocale(person.id, locale))) throw new AppError('unauthorized', m.admin_error_sign_in());
	});
	return locale;
}
