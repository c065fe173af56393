import type { Language } from '../model/index.ts';

/** The BCP 47 locale of each of our languages, as spoken in India. */
export const LOCALES: Readonly<Record<Language, string>> = { mr: 'mr-IN', hi: 'hi-IN', en: 'en-IN' };
const formats = new Map<Language, Intl.DateTimeFormat>();

/**
 * A due date as a citizen reads it: day, month in their language, year, in Pune's time zone. ASCII digits, like
 * the ticket number beside it, so both read the same on any phone.
 */
export function formatDate(iso: string, lang: Language): string {
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'Asia/Kolkata',
      numberingSystem: 'latn',
    });
    formats.set(lang, format);
  }
  return format.format(new Date(iso));
}
