// Instants are written in UTC on purpose: 18:00 IST is 12:30Z. Run with TZ=UTC and TZ=America/New_York too.
import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/config/calendar.ts';
import { addWorkingDays, dayOff, type WorkingCalendar } from '../../src/router/working-calendar.ts';

/** PMC's weekly offs and no holidays, to see the weekly offs alone */
const weekOnly: WorkingCalendar = { holidays: new Map(), weeklyOff: { sundays: true, saturdays: [2, 4] }, dayEndsAt: '18:00', years: [2026] };
const shipped = loadCalendar('config/holidays.yaml');

/** an instant given as India time */
const ist = (local: string): Date => new Date(`${local}+05:30`);

describe('dayOff', () => {
  it('names a Sunday, a 2nd and a 4th Saturday, and no other Saturday', () => {
    expect(dayOff('2026-03-15', weekOnly)).toEqual({ en: 'Sunday', mr: 'रविवार' });
    expect(dayOff('2026-03-14', weekOnly)).toEqual({ en: 'second Saturday', mr: 'दुसरा शनिवार' });
    expect(dayOff('2026-03-28', weekOnly)).toEqual({ en: 'fourth Saturday', mr: 'चौथा शनिवार' });
    for (const workingSaturday of ['2026-03-07', '2026-03-21', '2026-05-30']) expect(dayOff(workingSaturday, weekOnly)).toBeUndefined();
    expect(dayOff('2026-03-16', weekOnly)).toBeUndefined();
  });

  it("gives a holiday's name, before the weekly off it falls on", () => {
    expect(dayOff('2026-03-03', shipped)).toEqual({ en: 'Holi (second day)', mr: 'धुलिवंदन (होळीचा दुसरा दिवस)' });
    expect(dayOff('2026-02-15', shipped)?.en).toBe('Mahashivratri');
  });

  it('refuses a day that is not one', () => {
    expect(() => dayOff('2026-02-30', weekOnly)).toThrow(RangeError);
    expect(() => dayOff('15/03/2026', weekOnly)).toThrow(/YYYY-MM-DD/);
  });
});

describe('addWorkingDays', () => {
  it('skips the 2nd Saturday and the Sunday: Friday 13 March + 2 is Tuesday 17 March, 18:00 IST', () => {
    expect(addWorkingDays(ist('2026-03-13T10:00'), 2, weekOnly)).toStrictEqual({
      due: new Date('2026-03-17T12:30:00Z'),
      skipped: ['2026-03-14 second Saturday', '2026-03-15 Sunday'],
    });
  });

  it('skips the 4th Saturday', () => {
    expect(addWorkingDays(ist('2026-03-27T10:00'), 1, weekOnly)).toStrictEqual({
      due: new Date('2026-03-30T12:30:00Z'),
      skipped: ['2026-03-28 fourth Saturday', '2026-03-29 Sunday'],
    });
  });

  it('counts the 1st, 3rd and 5th Saturdays as working days', () => {
    expect(addWorkingDays(ist('2026-03-06T10:00'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-07T12:30:00Z'), skipped: [] });
    expect(addWorkingDays(ist('2026-03-20T10:00'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-21T12:30:00Z'), skipped: [] });
    expect(addWorkingDays(ist('2026-05-29T10:00'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-05-30T12:30:00Z'), skipped: [] });
  });

  it('skips Holi from the shipped config/holidays.yaml', () => {
    expect(addWorkingDays(ist('2026-03-02T11:00'), 1, shipped)).toStrictEqual({
      due: new Date('2026-03-04T12:30:00Z'),
      skipped: ['2026-03-03 Holi (second day)'],
    });
  });

  it('skips a holiday on a working Saturday (Ramzan-Id on the 3rd Saturday of March 2026)', () => {
    expect(addWorkingDays(ist('2026-03-18T09:15'), 3, shipped)).toStrictEqual({
      due: new Date('2026-03-24T12:30:00Z'),
      skipped: ['2026-03-19 Gudhi Padwa', '2026-03-21 Ramzan-Id (Id-ul-Fitr)', '2026-03-22 Sunday'],
    });
  });

  it('does not count the day of receipt, even after the day ended there', () => {
    expect(addWorkingDays(ist('2026-03-09T19:30'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-10T12:30:00Z'), skipped: [] });
    expect(addWorkingDays(ist('2026-03-09T00:00'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-10T12:30:00Z'), skipped: [] });
  });

  it('starts the count on the next day for a message received on a holiday or a Sunday', () => {
    expect(addWorkingDays(ist('2026-03-03T09:00'), 1, shipped)).toStrictEqual({ due: new Date('2026-03-04T12:30:00Z'), skipped: [] });
    expect(addWorkingDays(ist('2026-03-15T12:00'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-16T12:30:00Z'), skipped: [] });
  });

  it('takes the day of receipt in India: 20:00 UTC on Monday is already Tuesday there', () => {
    expect(addWorkingDays(new Date('2026-03-09T20:00:00Z'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-11T12:30:00Z'), skipped: [] });
    expect(addWorkingDays(new Date('2026-03-09T18:29:59Z'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-10T12:30:00Z'), skipped: [] });
    expect(addWorkingDays(new Date('2026-03-09T18:30:00Z'), 1, weekOnly)).toStrictEqual({ due: new Date('2026-03-11T12:30:00Z'), skipped: [] });
  });

  it('ends the day at dayEndsAt', () => {
    expect(addWorkingDays(ist('2026-03-09T10:00'), 1, { ...weekOnly, dayEndsAt: '09:45' }).due).toEqual(new Date('2026-03-10T04:15:00Z'));
  });

  it('says so when the count runs into a year the holiday list does not cover', () => {
    expect(addWorkingDays(ist('2026-12-24T10:00'), 3, shipped)).toStrictEqual({
      due: new Date('2026-12-30T12:30:00Z'),
      skipped: ['2026-12-25 Christmas', '2026-12-26 fourth Saturday', '2026-12-27 Sunday'],
    });
    expect(addWorkingDays(ist('2026-12-24T10:00'), 6, shipped)).toStrictEqual({
      due: new Date('2027-01-02T12:30:00Z'),
      skipped: ['2026-12-25 Christmas', '2026-12-26 fourth Saturday', '2026-12-27 Sunday'],
      uncovered: 2027,
    });
  });

  it('refuses a number of days that is not a positive whole number, or an invalid date', () => {
    for (const days of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => addWorkingDays(ist('2026-03-09T10:00'), days, weekOnly)).toThrow(/^days must be/);
    expect(() => addWorkingDays(new Date('nonsense'), 1, weekOnly)).toThrow(RangeError);
  });

  it('gives up instead of hanging when the calendar marks every day off', () => {
    const holidays = new Map<string, { en: string; mr: string }>();
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2037, 0, 1); t += 86_400_000) holidays.set(new Date(t).toISOString().slice(0, 10), { en: 'Strike', mr: 'संप' });
    expect(() => addWorkingDays(ist('2026-03-09T10:00'), 1, { ...weekOnly, holidays })).toThrow(/no 1 working days in the 3660 days after 2026-03-09/);
  });
});
