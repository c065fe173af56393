import type { Words } from './words-en.ts';

const ZONE = 'Asia/Kolkata';
const short = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const long = {
  mr: new Intl.DateTimeFormat('mr-IN', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }),
  en: new Intl.DateTimeFormat('en-IN', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true }),
};

const partsOf = (format: Intl.DateTimeFormat, d: Date) => {
  const parts = format.formatToParts(d);
  return (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
};

/** "03-03-2026 18:00": for lists, where a phone's width is short */
export function shortDate(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = partsOf(short, d);
  return `${p('day')}-${p('month')}-${p('year')} ${p('hour')}:${p('minute')}`;
}

// how a Marathi speaker names the part of the day: "सायं. ६:००" is six in the evening
function marathiPeriod(hour: number): string {
  if (hour < 4) return 'रात्री';
  if (hour < 6) return 'पहाटे';
  if (hour < 12) return 'सकाळी';
  if (hour < 17) return 'दुपारी';
  if (hour < 20) return 'सायं.';
  return 'रात्री';
}

const DEVANAGARI_DIGITS = '०१२३४५६७८९';
const devanagari = (n: number, pad = 1) => String(n).padStart(pad, '0').replace(/\d/g, (c) => DEVANAGARI_DIGITS[Number(c)]!);

/** "३ मार्च २०२६, सायं. ६:०० भा.प्र.वे." or "3 March 2026, 6:00 pm IST": for a ticket's own page */
export function longDate(iso: string | undefined, t: Words): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = partsOf(long[t.lang], d);
  if (t.lang === 'en') return `${p('day')} ${p('month')} ${p('year')}, ${p('hour')}:${p('minute')} ${p('dayPeriod').toLowerCase()} ${t.common.ist}`;
  const hour24 = Number(partsOf(short, d)('hour'));
  const hour12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
  const minute = Number(partsOf(short, d)('minute'));
  return `${p('day')} ${p('month')} ${p('year')}, ${marathiPeriod(hour24)} ${devanagari(hour12)}:${devanagari(minute, 2)} ${t.common.ist}`;
}
