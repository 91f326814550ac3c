/** The invitation mail: the one-time link of an invitation, sent to the address the inviter gave. */
import type { SiteContext } from '../hosts/site-context';
import { withLocale } from '../i18n';
import { m } from '../../paraglide/messages';
import { formatter } from '../../time';
import { intlLocale } from '../../i18n';
import { renderMail, siteUrl } from './render';
import type { OutgoingMail } from './deliver';

export function invitationMail(
	site: SiteContext,
	invite: { id: string; email: string; role: string; expiresAt: Date; token: string; inviter: string }
): OutgoingMail {
	return withLocale(site.locale, () => {
		const url = siteUrl(site.primaryHost, `/invite/${invite.token}`);
		const date = formatter(intlLocale(site.locale, site.timezone), site.timezone, { dateStyle: 'long', timeStyle: 'short' }).format(
			invite.expiresAt
		);
		const body = renderMail({
			siteName: site.name,
			theme: site.theme,
			heading: m.mail_invite_heading({ site: site.name }),
			blocks: [
				{ kind: 'text', text: m.mail_invite_body({ inviter: invite.inviter, site: site.name, role: invite.role }) },
				{ kind: 'button', label: m.mail_invite_button(), url },
				{ kind: 'text', text: m.mail_invite_expires({ date }) }
			],
			footer: [m.mail_invite_footer({ email: invite.email, site: site.name })]
		});
		return {
			key: `invite:${invite.id}`,
			siteId: site.id,
			to: invite.email,
			fromName: site.name,
			subject: m.mail_invite_subject({ site: site.name }),
			...body
		};
	});
}
