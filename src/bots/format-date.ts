import { LOCALES, type Language } from '../model/index.ts';

const formats = new Map<Language, Intl.DateTimeFormat>();
// formatToParts costs more than the rest of a reply's text: each day is written once per language. Pune's day of an
// instant is its UTC time plus 5:30 (India has kept one offset, without summer time, since 1945).
const IST_MS = 330 * 60_000;
const CACHE_LIMIT = 1_000;
const written = new Map<string, string>();

/**
 * A date as a citizen reads it: "4 डिसेंबर 2026", "4 दिसंबर 2026", "4 December 2026" — day, the month's full name
 * in their language, year, in Pune's time zone, with ASCII digits like the ticket number beside it. Built from the
 * parts: ICU's long Marathi form puts a comma after the month ("4 डिसेंबर, 2026"), its short forms abbreviate
 * ("डिसें", "दिस॰"), and neither is how a date is written in a letter.
 */
export function formatDate(iso: string, lang: Language): string {
  const ms = Date.parse(iso);
  const key = Number.isNaN(ms) ? undefined : `${lang}${new Date(ms + IST_MS).toISOString().slice(0, 10)}`;
  const known = key && written.get(key);
  if (known) return known;
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Kolkata', numberingSystem: 'latn' });
    formats.set(lang, format);
  }
  const parts = format.formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const text = `${part('day')} ${part('month')} ${part('year')}`;
  if (key) {
    if (written.size >= CACHE_LIMIT) written.clear();
    written.set(key, text);
  }
  return text;
}
