/** The homepage editor (editors and up): hero title and text, the Markdown intro, which sections show. */
import { z } from 'zod';
import { fields, parseInput } from '../input';
import { m } from '../../paraglide/messages';
import { siteRead } from '../db';
import { getHome, saveHome, type HomeRow } from '../queries/home';
import { allow, auditActor, type SiteActor } from './actor';
import { write } from './write';
import { keepRevision } from './revisions';
import { renderForSave } from './rich-text';

const homeSchema = z.object({
	heroTitle: fields.text(200, m.admin_home_headline),
	heroText: fields.text(500, m.admin_home_text),
	intro: fields.markdown(20_000, m.admin_home_introduction),
	showEvents: fields.checkbox(),
	showLinks: fields.checkbox()
});

export async function homeForEditor(actor: SiteActor): Promise<HomeRow> {
	const who = allow(actor, 'content.edit');
	return siteRead(who.site.id, () => getHome(who.site.id));
}

export async function updateHome(actor: SiteActor, input: unknown): Promise<HomeRow> {
	const who = allow(actor, 'content.edit');
	const data = parseInput(homeSchema, input);
	const rendered = await renderForSave(who.site, data.intro, 'intro');
	return write({ siteId: who.site.id, actor: auditActor(who) }, async (w) => {
		const row = await saveHome(who.site.id, { ...data, ...rendered });
		await w.audit({ action: 'home.update', targetType: 'home', targetId: who.site.id });
		await keepRevision(w, auditActor(who), { kind: 'home', row });
		return row;
	});
}
