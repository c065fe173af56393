import { LOCALES, type Language } from '../model/index.ts';

const formats = new Map<Language, Intl.DateTimeFormat>();

/**
 * A date as a citizen reads it: "4 डिसेंबर 2026", "4 दिसंबर 2026", "4 December 2026" — day, the month's full name
 * in their language, year, in Pune's time zone, with ASCII digits like the ticket number beside it. Built from the
 * parts: ICU's long Marathi form puts a comma after the month ("4 डिसेंबर, 2026"), its short forms abbreviate
 * ("डिसें", "दिस॰"), and neither is how a date is written in a letter.
 */
export function formatDate(iso: string, lang: Language): string {
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Kolkata', numberingSystem: 'latn' });
    formats.set(lang, format);
  }
  const parts = format.formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}`;
}
