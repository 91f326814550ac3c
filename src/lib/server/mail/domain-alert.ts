/**
 * Owners hear by e-mail when one of their domains stops pointing here (with the date it will be
 * detached) and when it is detached. Queued in the re-check's own write, so an alert exists if and
 * only if the change it tells of was recorded; owners without a real address are skipped.
 */
import type { Write } from '../services/write';
import { env } from '../env';
import { loadSiteContext } from '../hosts/site-context';
import { listOwnerEmails } from '../queries/members';
import { withLocale } from '../i18n';
import { intlLocale } from '../../i18n';
import { formatter } from '../../time';
import { m } from '../../paraglide/messages';
import { mailEnabled } from './transport';
import { problemText, type VerifyProblem } from '../hosts/domain-verifier';
import { renderMail, siteUrl } from './render';

export async function queueDomainAlert(
	w: Write,
	siteId: string,
	alert: { kind: 'misconfigured' | 'detached'; domainId: string; hostname: string; since: Date; detachAt: Date; problem: VerifyProblem }
): Promise<number> {
	if (!mailEnabled()) return 0;
	const platform = env().PLATFORM_DOMAIN;
	const site = await loadSiteContext(siteId, platform);
	if (!site) return 0;
	const owners = await listOwnerEmails(siteId);
	for (const owner of owners) {
		const mail = withLocale(site.locale, () => {
			const date = formatter(intlLocale(site.locale, site.timezone), site.timezone, { dateStyle: 'long' }).format(alert.detachAt);
			const vars = { domain: alert.hostname, site: site.name };
			// The detached domain may have been the primary: link to the platform name, which always works.
			const host = alert.kind === 'detached' ? `${site.slug}.${platform}` : site.primaryHost;
			const body = renderMail({
				siteName: site.name,
				theme: site.theme,
				heading: alert.kind === 'misconfigured' ? m.mail_domain_misconfigured_subject(vars) : m.mail_domain_detached_subject(vars),
				blocks: [
					{
						kind: 'text',
						text:
							alert.kind === 'misconfigured'
								? m.mail_domain_misconfigured_body({ domain: alert.hostname, date })
								: m.mail_domain_detached_body({ domain: alert.hostname, fallback: `${site.slug}.${platform}` })
					},
					// What the check found, in the owner's language (the job stored only its code).
					{ kind: 'text', text: m.mail_domain_last_check({ reason: problemText(alert.hostname, alert.problem) }) },
					{ kind: 'button', label: m.mail_domain_button(), url: siteUrl(host, '/admin/domains') }
				],
				footer: [m.mail_domain_footer({ email: owner.email, site: site.name })]
			});
			return {
				key: `domain:${alert.kind}:${alert.domainId}:${alert.since.toISOString()}:${owner.userId}`,
				siteId,
				to: owner.email,
				fromName: site.name,
				subject: alert.kind === 'misconfigured' ? m.mail_domain_misconfigured_subject(vars) : m.mail_domain_detached_subject(vars),
				...body
			};
		});
		await w.enqueue({ name: 'mail.send', data: mail });
	}
	return owners.length;
}
