/**
 * config/holidays.yaml, the working calendar staff edit: weekly offs, when a working day ends, the years whose
 * holiday list is in, and the holidays. Checked here, so a mistake stops the process naming the entry to fix.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { WorkingCalendar } from '../router/working-calendar.ts';
import { ConfigError } from './config-error.ts';

/** Every message follows the key it is about: `holidays[3].date "2026-02-30" is not a date`. */
const needs = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'is missing' : `must be ${what}`) });

/** the same for a mapping, which also names a key it does not know (a misspelt one, most often) */
const mapping = (keys: string, example: string) => ({
  error: (issue: { code?: string; input: unknown; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `has a key it does not know: ${issue.keys?.join(', ')} (it takes ${keys})` : needs(example).error(issue),
});

const shown = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : String(v));

/** a real day written YYYY-MM-DD: 2026-02-30 is written right and is still no day */
const Day = z.string(needs('a date written YYYY-MM-DD, like 2026-01-26')).check((ctx) => {
  const day = ctx.value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) ctx.issues.push({ code: 'custom', input: day, message: `${shown(day)} must be written YYYY-MM-DD, like 2026-01-26` });
  else if (new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10))).toISOString().slice(0, 10) !== day)
    ctx.issues.push({ code: 'custom', input: day, message: `${shown(day)} is not a date` });
});

const Name = z.string(needs('text')).trim().min(1, 'must not be empty');

const Holiday = z.strictObject(
  {
    date: Day,
    en: Name,
    mr: Name.regex(/\p{Script=Devanagari}/u, 'must be the Marathi name, in Devanagari'),
  },
  mapping('date, en and mr', 'a holiday, like { date: 2026-01-26, en: Republic Day, mr: प्रजासत्ताक दिन }'),
);

const inRange = (min: number, max: number, what: string) =>
  z.number(needs(what)).refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: (issue) => `${shown(issue.input)} must be ${what}` });

const CalendarFile = z.strictObject(
  {
    weeklyOff: z.strictObject(
      {
        sundays: z.boolean(needs('true or false')),
        saturdays: z.array(inRange(1, 5, '1 to 5 (which Saturday of the month)'), needs('a list, like [2, 4]')),
      },
      mapping('sundays and saturdays', 'a mapping, like { sundays: true, saturdays: [2, 4] }'),
    ),
    dayEndsAt: z.string(needs("'HH:MM' in India time, like '18:00'")).refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), {
      error: (issue) => `${shown(issue.input)} must be 'HH:MM' in India time, like '18:00'`,
    }),
    years: z.array(inRange(2000, 2100, 'a year, like 2026'), needs('a list of years, like [2026]')),
    holidays: z.array(Holiday, needs('a list of holidays')),
  },
  mapping('weeklyOff, dayEndsAt, years and holidays', 'a mapping of weeklyOff, dayEndsAt, years and holidays'),
);
type CalendarFile = z.infer<typeof CalendarFile>;

/** holidays[3].date, weeklyOff.saturdays[0] */
const keyOf = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(top level)';

function fail(fileName: string, problems: readonly string[]): never {
  throw new ConfigError(`${fileName}: ${problems.join('; ')}`);
}

/** what the schema cannot see: one entry per day, and every year in `years` has its list (and only those) */
function crossCheck(file: CalendarFile): string[] {
  const problems: string[] = [];
  const first = new Map<string, number>();
  file.holidays.forEach((h, i) => {
    const at = first.get(h.date);
    if (at !== undefined)
      problems.push(`holidays[${i}].date ${h.date} is also the date of holidays[${at}] (${file.holidays[at]!.en}): one entry a day, with both names in it`);
    else first.set(h.date, i);
    const year = Number(h.date.slice(0, 4));
    if (!file.years.includes(year)) problems.push(`holidays[${i}].date ${h.date} is in ${year}, which is not in years: add ${year} to years once its whole list is in`);
  });
  for (const year of file.years)
    if (!file.holidays.some((h) => h.date.startsWith(`${year}-`))) problems.push(`years lists ${year} but no holiday in it: add its list, or take ${year} out of years`);
  return problems;
}

export function parseCalendar(source: string, fileName: string): WorkingCalendar {
  let doc: unknown;
  try {
    doc = parseYaml(source);
  } catch (err) {
    throw new ConfigError(`${fileName}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = CalendarFile.safeParse(doc ?? {});
  if (!parsed.success) fail(fileName, parsed.error.issues.map((i) => `${keyOf(i.path)} ${i.message}`));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) fail(fileName, problems);
  const { weeklyOff, dayEndsAt, years, holidays } = parsed.data;
  return { weeklyOff, dayEndsAt, years, holidays: new Map(holidays.map((h) => [h.date, { en: h.en, mr: h.mr }])) };
}

export function loadCalendar(path: string): WorkingCalendar {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the working calendar: ${(err as Error).message}`);
  }
  return parseCalendar(source, path);
}
