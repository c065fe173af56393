/**
 * Working days in PMC's calendar, for SLA due dates: the days the offices are open, counted in India time.
 * Pure: the calendar itself is config/holidays.yaml, read by src/config/calendar.ts.
 */

export interface WorkingCalendar {
  /** YYYY-MM-DD (India time) → the holiday's names */
  holidays: ReadonlyMap<string, { en: string; mr: string }>;
  /** Sundays off, and which Saturdays of the month are off (PMC: the 2nd and 4th) */
  weeklyOff: { sundays: boolean; saturdays: readonly number[] };
  /** 'HH:MM' India time: a due date in working days falls at this time of the last day */
  dayEndsAt: string;
  /** the years the holiday list covers (a due date beyond them is computed without holidays, and says so) */
  years: readonly number[];
}

type Names = { en: string; mr: string };

/** India is UTC+05:30 all year (no daylight saving), so a fixed offset is exact and the machine's TZ never matters. */
export const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
/** ten years of days: a calendar that marks every day off fails here instead of hanging */
const MAX_DAYS_AHEAD = 3660;

const SUNDAY: Names = { en: 'Sunday', mr: 'रविवार' };
const SATURDAYS: readonly Names[] = [
  { en: 'first Saturday', mr: 'पहिला शनिवार' },
  { en: 'second Saturday', mr: 'दुसरा शनिवार' },
  { en: 'third Saturday', mr: 'तिसरा शनिवार' },
  { en: 'fourth Saturday', mr: 'चौथा शनिवार' },
  { en: 'fifth Saturday', mr: 'पाचवा शनिवार' },
];

/** An IST calendar day as a day number: days since 1970-01-01, so that a UTC date of it reads as the IST day. */
const istDayOf = (at: Date): number => Math.floor((at.getTime() + IST_OFFSET_MS) / DAY_MS);
const dayText = (dayNumber: number): string => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

/** the India date (YYYY-MM-DD) of an instant */
export const istDay = (at: Date): string => dayText(istDayOf(at));

function dayNumberOf(day: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  // Date.parse accepts 2026-02-30 as 2 March on some engines: a real day reads back the same
  if (Number.isNaN(ms) || dayText(ms / DAY_MS) !== day) throw new RangeError(`day must be a date written YYYY-MM-DD, like 2026-01-26, not "${day}"`);
  return ms / DAY_MS;
}

function offOn(dayNumber: number, day: string, cal: WorkingCalendar): Names | undefined {
  const holiday = cal.holidays.get(day);
  if (holiday) return holiday;
  const date = new Date(dayNumber * DAY_MS);
  if (date.getUTCDay() === 0) return cal.weeklyOff.sundays ? SUNDAY : undefined;
  if (date.getUTCDay() !== 6) return undefined;
  const nth = Math.ceil(date.getUTCDate() / 7);
  return cal.weeklyOff.saturdays.includes(nth) ? SATURDAYS[nth - 1] : undefined;
}

/** Why the day (YYYY-MM-DD, India time) is off: the holiday's name before the weekly off; undefined for a working day. */
export function dayOff(day: string, cal: WorkingCalendar): Names | undefined {
  return offOn(dayNumberOf(day), day, cal);
}

/** minutes after midnight IST at which a working day ends */
function dayEndMinutes(dayEndsAt: string): number {
  const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(dayEndsAt);
  if (!hhmm) throw new RangeError(`dayEndsAt must be 'HH:MM' in India time, like '18:00', not "${dayEndsAt}"`);
  return Number(hhmm[1]) * 60 + Number(hhmm[2]);
}

/**
 * The due instant `days` working days after `from`: the day of receipt never counts (a message on a holiday or
 * after hours too), and the due time is `dayEndsAt` IST on the last working day counted.
 */
export function addWorkingDays(from: Date, days: number, cal: WorkingCalendar): { due: Date; skipped: string[]; uncovered?: number } {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive whole number of working days, not ${days}`);
  if (Number.isNaN(from.getTime())) throw new RangeError('from must be a valid date, not an Invalid Date');
  const endMs = dayEndMinutes(cal.dayEndsAt) * 60_000;
  const covered = new Set(cal.years);
  const received = istDayOf(from);
  const skipped: string[] = [];
  let uncovered: number | undefined;
  let counted = 0;
  for (let n = received + 1; n <= received + MAX_DAYS_AHEAD; n++) {
    const day = dayText(n);
    const year = Number(day.slice(0, 4));
    if (uncovered === undefined && !covered.has(year)) uncovered = year;
    const off = offOn(n, day, cal);
    if (off) skipped.push(`${day} ${off.en}`);
    else if (++counted === days) return { due: new Date(n * DAY_MS + endMs - IST_OFFSET_MS), skipped, ...(uncovered !== undefined && { uncovered }) };
  }
  throw new RangeError(`no ${days} working days in the ${MAX_DAYS_AHEAD} days after ${dayText(received)}: the calendar marks (almost) every day off; check weeklyOff and holidays`);
}
