import { franc } from 'franc';
import type { Language } from '../model/index.ts';

export type Script = 'Deva' | 'Latn' | 'mixed' | 'other';

export interface LanguageGuess {
  lang: Language | 'und';
  script: Script;
  confidence: number;
}

const DEVANAGARI = /\p{Script=Devanagari}/gu;
const LATIN = /[A-Za-z\u00C0-\u024F]/gu;
const FRANC_TO_LANG: Record<string, Language> = { mar: 'mr', hin: 'hi', eng: 'en' };

export function detectScript(text: string): Script {
  const deva = text.match(DEVANAGARI)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (deva === 0 && latin === 0) return 'other';
  if (deva > 0 && latin > 0 && Math.min(deva, latin) / (deva + latin) > 0.2) return 'mixed';
  return deva >= latin ? 'Deva' : 'Latn';
}

/**
 * A first guess, franc restricted to Marathi, Hindi and English. The Normalizer issue replaces this with
 * Marathi-first rules; callers only rely on the shape of the result.
 */
export function detectLanguage(text: string): LanguageGuess {
  const script = detectScript(text);
  if (script === 'other') return { lang: 'und', script, confidence: 0 };
  const code = franc(text, { only: ['mar', 'hin', 'eng'], minLength: 3 });
  const lang = FRANC_TO_LANG[code];
  return lang ? { lang, script, confidence: 0.5 } : { lang: 'und', script, confidence: 0 };
}
