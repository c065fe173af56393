import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalendar, parseCalendar } from '../../src/config/calendar.ts';
import { ConfigError } from '../../src/config/config-error.ts';

const FILE = 'config/holidays.yaml';

function calendarYaml({ weeklyOff = '{ sundays: true, saturdays: [2, 4] }', dayEndsAt = "'18:00'", years = '[2026]', holidays = ['{ date: 2026-01-26, en: Republic Day, mr: प्रजासत्ताक दिन }'] } = {}): string {
  return [`weeklyOff: ${weeklyOff}`, `dayEndsAt: ${dayEndsAt}`, `years: ${years}`, 'holidays:', ...holidays.map((h) => `  - ${h}`), ''].join('\n');
}

/** the error a parse throws, so its class and message can both be checked */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('the shipped config/holidays.yaml', () => {
  const cal = loadCalendar(FILE);

  it("has PMC's weekly offs, an 18:00 day end and the whole 2026 list", () => {
    expect(cal.weeklyOff).toEqual({ sundays: true, saturdays: [2, 4] });
    expect(cal.dayEndsAt).toBe('18:00');
    expect(cal.years).toEqual([2026]);
    // 24 notified holidays and Bhaubeej, with the two days that carry two holidays as one entry each
    expect(cal.holidays.size).toBe(23);
    expect(cal.holidays.get('2026-03-03')?.en).toBe('Holi (second day)');
    expect(cal.holidays.get('2026-11-11')).toEqual({ en: 'Bhaubeej', mr: 'भाऊबीज' });
    for (const [day, names] of cal.holidays) {
      expect(day.startsWith('2026-')).toBe(true);
      expect(names.mr).toMatch(/\p{Script=Devanagari}/u);
    }
  });
});

describe('parseCalendar', () => {
  it('reads dates and names as written', () => {
    const cal = parseCalendar(calendarYaml({ holidays: ["{ date: '2026-03-03', en: Holi, mr: धुलिवंदन }"] }), FILE);
    expect([...cal.holidays]).toEqual([['2026-03-03', { en: 'Holi', mr: 'धुलिवंदन' }]]);
  });

  it('names the entry whose date is no day, or is not written YYYY-MM-DD', () => {
    const bad = errorOf(() =>
      parseCalendar(calendarYaml({ holidays: ['{ date: 2026-01-26, en: Republic Day, mr: प्रजासत्ताक दिन }', '{ date: 2026-02-30, en: Holi, mr: धुलिवंदन }'] }), FILE),
    );
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad.message).toBe('config/holidays.yaml: holidays[1].date "2026-02-30" is not a date');
    expect(errorOf(() => parseCalendar(calendarYaml({ holidays: ['{ date: 26-01-2026, en: Republic Day, mr: प्रजासत्ताक दिन }'] }), FILE)).message).toBe(
      'config/holidays.yaml: holidays[0].date "26-01-2026" must be written YYYY-MM-DD, like 2026-01-26',
    );
  });

  it('refuses the same date twice, naming both entries', () => {
    const err = errorOf(() =>
      parseCalendar(calendarYaml({ holidays: ['{ date: 2026-05-01, en: Maharashtra Din, mr: महाराष्ट्र दिन }', '{ date: 2026-05-01, en: Buddha Pournima, mr: बुद्ध पौर्णिमा }'] }), FILE),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      'config/holidays.yaml: holidays[1].date 2026-05-01 is also the date of holidays[0] (Maharashtra Din): one entry a day, with both names in it',
    );
  });

  it('wants dayEndsAt as HH:MM', () => {
    for (const dayEndsAt of ['6pm', "'24:00'", "'6:00'"]) {
      const err = errorOf(() => parseCalendar(calendarYaml({ dayEndsAt }), FILE));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toMatch(/^config\/holidays\.yaml: dayEndsAt ".+" must be 'HH:MM' in India time, like '18:00'$/);
    }
  });

  it('wants Saturdays numbered 1 to 5', () => {
    const err = errorOf(() => parseCalendar(calendarYaml({ weeklyOff: '{ sundays: true, saturdays: [2, 6] }' }), FILE));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('config/holidays.yaml: weeklyOff.saturdays[1] 6 must be 1 to 5 (which Saturday of the month)');
  });

  it('keeps holidays and years in step', () => {
    const outside = errorOf(() =>
      parseCalendar(calendarYaml({ holidays: ['{ date: 2026-01-26, en: Republic Day, mr: प्रजासत्ताक दिन }', '{ date: 2027-01-26, en: Republic Day, mr: प्रजासत्ताक दिन }'] }), FILE),
    );
    expect(outside.message).toBe('config/holidays.yaml: holidays[1].date 2027-01-26 is in 2027, which is not in years: add 2027 to years once its whole list is in');
    expect(errorOf(() => parseCalendar(calendarYaml({ years: '[2026, 2027]' }), FILE)).message).toBe(
      'config/holidays.yaml: years lists 2027 but no holiday in it: add its list, or take 2027 out of years',
    );
  });

  it('names a missing key, an unknown key and a name not in Marathi', () => {
    const err = errorOf(() => parseCalendar(calendarYaml({ holidays: ['{ date: 2026-01-26, name: Republic Day, mr: Republic Day }'] }), FILE));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('holidays[0].en is missing');
    expect(err.message).toContain('holidays[0].mr must be the Marathi name, in Devanagari');
    expect(err.message).toContain('holidays[0] has a key it does not know: name');
    expect(errorOf(() => parseCalendar('holidays: []\n', FILE)).message).toContain('weeklyOff is missing');
  });

  it('says when the file is not YAML or cannot be read', () => {
    expect(errorOf(() => parseCalendar('holidays: [', FILE))).toBeInstanceOf(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    try {
      const missing = join(dir, 'holidays.yaml');
      const err = errorOf(() => loadCalendar(missing));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain(`${missing}: cannot read the working calendar`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
