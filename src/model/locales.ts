import type { Language } from './common.ts';

/** The BCP 47 locale of each of our languages, as spoken in India. */
export const LOCALES: Readonly<Record<Language, string>> = { mr: 'mr-IN', hi: 'hi-IN', en: 'en-IN' };
