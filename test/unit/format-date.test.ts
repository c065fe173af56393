import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/bots/format-date.ts';

describe('formatDate: the day in Pune, as a letter writes it', () => {
  it("takes the day from Pune's clock on both sides of its midnight, the same when asked again", () => {
    for (let round = 0; round < 2; round++) {
      // 23:59 and 00:00 in Pune, 18:29 and 18:30 UTC
      expect(formatDate('2026-12-04T18:29:59.000Z', 'mr')).toBe('4 डिसेंबर 2026');
      expect(formatDate('2026-12-04T18:30:00.000Z', 'mr')).toBe('5 डिसेंबर 2026');
      expect(formatDate('2026-12-31T18:30:00.000Z', 'hi')).toBe('1 जनवरी 2027');
      expect(formatDate('2026-12-31T18:29:00.000Z', 'en')).toBe('31 December 2026');
    }
  });

  it('writes each language its own way for the same day', () => {
    const at = '2027-03-15T06:00:00.000Z';
    expect([formatDate(at, 'mr'), formatDate(at, 'hi'), formatDate(at, 'en')]).toEqual(['15 मार्च 2027', '15 मार्च 2027', '15 March 2027']);
  });
});
