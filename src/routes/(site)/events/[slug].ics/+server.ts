import type { RequestHandler } from './$types';
import { eventCalendarFile } from '$lib/server/public-site/event-calendar-file';

export const GET: RequestHandler = (event) => eventCalendarFile(event, event.params.slug);
