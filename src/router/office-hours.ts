import type { ChannelMapping, InboundMessage, Language } from '../model/index.ts';
import { dayOff, IST_OFFSET_MS, istDay, type WorkingCalendar } from './working-calendar.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** the off-hours message's outbox key: once a day (India's) per conversation, however many messages come */
export function offHoursKey(msg: Pick<InboundMessage, 'channel' | 'accountId' | 'threadKey' | 'receivedAt'>): string {
  return `offhours:${msg.channel}:${msg.accountId}:${msg.threadKey}:${istDay(new Date(msg.receivedAt))}`;
}

/**
 * What to tell a citizen who writes while the office behind the account is closed (its office hours, India time;
 * and the calendar's days off), in their language; undefined in office hours or with no message set.
 */
export function offHoursText(mapping: ChannelMapping, at: Date, language: Language, calendar?: WorkingCalendar): string | undefined {
  const hours = mapping.officeHours;
  const text = mapping.offHoursMessage?.[language];
  if (!hours || !text) return undefined;
  const local = new Date(at.getTime() + IST_OFFSET_MS);
  const isoWeekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  // the calendar's days off (a holiday, the second and fourth Saturdays) close an office that is open that weekday
  const holiday = calendar ? dayOff(istDay(at), calendar) !== undefined : false;
  const open = hours.days.includes(isoWeekday) && !holiday && time >= hours.from && time < hours.to;
  return open ? undefined : text;
}
