/**
 * In the browser, messages are in the language the server rendered the page in (<html lang>):
 * the admin and the hub hydrate in the signed-in person's language, never in English by default.
 * A change of language reloads the page (the picker is a plain form), so this stays true.
 */
import { isLocale } from '$lib/i18n';
import { baseLocale, overwriteGetLocale } from '$lib/paraglide/runtime';

const lang = document.documentElement.lang;
const pageLocale = isLocale(lang) ? lang : baseLocale;
overwriteGetLocale(() => pageLocale);
