/**
 * Discord (admins and up): the channel webhook and what it announces, the server events synced
 * by the platform's bot, resync and disconnect. The rules live in services/discord.ts.
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, pageData } from '$lib/server/forms';
import { siteActor } from '$lib/server/services/actor';
import { discordSettingsView, disconnectDiscord, resyncDiscord, saveDiscordEvents, saveDiscordWebhook } from '$lib/server/services/discord';
import { adminPath } from '$lib/server/admin-path';

export const load: PageServerLoad = ({ locals }) => pageData(async () => ({ discord: await discordSettingsView(siteActor(locals)) }));

const done = (event: RequestEvent, what: string): never => redirect(303, adminPath(event, `/discord?done=${what}`));

export const actions: Actions = {
	webhook: (event) =>
		formAction(event, 'webhook', async ({ input }) => {
			const { tested } = await saveDiscordWebhook(siteActor(event.locals), input);
			done(event, tested ? 'tested' : 'saved');
		}),
	events: (event) =>
		formAction(event, 'events', async ({ input }) => {
			await saveDiscordEvents(siteActor(event.locals), input);
			done(event, 'saved');
		}),
	resync: (event) =>
		formAction(event, 'resync', async () => {
			await resyncDiscord(siteActor(event.locals));
			done(event, 'resync');
		}),
	disconnect: (event) =>
		formAction(event, 'disconnect', async ({ input }) => {
			await disconnectDiscord(siteActor(event.locals), input);
			done(event, 'disconnected');
		})
};
