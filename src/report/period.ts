/** A report's period: whole days in India time (IST, UTC+05:30 all year), both days included. */
export interface ReportPeriod {
  /** YYYY-MM-DD, the first day (IST) */
  fromDay: string;
  /** YYYY-MM-DD, the last day (IST), included */
  toDay: string;
  /** midnight IST at the start of fromDay */
  from: Date;
  /** midnight IST at the end of toDay: the first instant after the period */
  to: Date;
}

/** what was wrong with the days asked for: a field that is no date, or a period that ends before it starts */
export type PeriodProblem = { field: 'from' | 'to'; problem: 'format'; value: string } | { field: 'from'; problem: 'order'; value: string };

export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; problem: PeriodProblem };

const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;
/** what a report shows when no period is asked for: the last 30 days, today included */
export const DEFAULT_DAYS = 30;

/** the IST day of an instant, as YYYY-MM-DD */
export function istDay(at: Date): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** midnight IST at the start of a YYYY-MM-DD day; undefined for what is no real day (2026-02-30, 26-3-1) */
export function istMidnight(day: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 30 February over into March: a day that does not come back the same does not exist
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== day) return undefined;
  return new Date(utc - IST_OFFSET_MS);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * The period of the days asked for (empty or absent: the default). No `to`: today; no `from`: the 30 days up to
 * `to`.
 */
export function reportPeriod(asked: { from?: string | undefined; to?: string | undefined }, now: Date): PeriodResult {
  const fromText = asked.from?.trim() || undefined;
  const toText = asked.to?.trim() || undefined;
  const toDay = toText ?? istDay(now);
  const end = istMidnight(toDay);
  if (!end) return { ok: false, problem: { field: 'to', problem: 'format', value: toDay } };
  const fromDay = fromText ?? addDays(toDay, 1 - DEFAULT_DAYS);
  const from = istMidnight(fromDay);
  if (!from) return { ok: false, problem: { field: 'from', problem: 'format', value: fromDay } };
  if (from.getTime() > end.getTime()) return { ok: false, problem: { field: 'from', problem: 'order', value: fromDay } };
  return { ok: true, period: { fromDay, toDay, from, to: new Date(end.getTime() + DAY_MS) } };
}
