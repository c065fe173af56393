import { IST_OFFSET_MS } from '../router/working-calendar.ts';

/** "21:00"–"08:00" IST: messages the bridge starts itself wait for the morning (a reply to a citizen never does). */
export interface QuietHours {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** whether `now` falls in quiet hours (IST): what the bridge starts itself waits */
export const inQuietHours = (now: Date, quiet: QuietHours | null | undefined): boolean => afterQuietHours(now, quiet).getTime() > now.getTime();

/** `now` when it is outside quiet hours, else the instant they end (IST); null quiet hours: always `now`. */
export function afterQuietHours(now: Date, quiet: QuietHours | null | undefined): Date {
  if (!quiet) return now;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return now;
  const local = now.getTime() + IST_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = (local - dayStart) / 60_000;
  // quiet across midnight (21:00–08:00) or within a day (13:00–14:00)
  const quietNow = from > to ? minute >= from || minute < to : minute >= from && minute < to;
  if (!quietNow) return now;
  const endsToday = minute < to;
  return new Date(dayStart + (endsToday ? 0 : DAY_MS) + to * 60_000 - IST_OFFSET_MS);
}
