import { francAll } from 'franc';
import type { Language } from '../model/index.ts';
import { tally, type Tally } from './language-tally.ts';
import { repairMojibake } from './mojibake.ts';
import { guessLatinBySpelling } from './latin-trigrams.ts';

export type Script = 'Deva' | 'Latn' | 'mixed' | 'other';

export interface LanguageGuess {
  lang: Language | 'und';
  script: Script;
  /** 0 (a guess) … 1 (certain); 0 with `und` */
  confidence: number;
  /**
   * Nothing but how the words are spelled says which (ळ, a nukta, letter statistics): no word or ending of the
   * language. A place's name alone ("वारजे माळवाडी", "गाडीतळ") shows this, whatever the writer's language.
   */
  spellingOnly?: true;
}

function scriptOf(t: Tally): Script {
  const { devaLetters: deva, latinLetters: latin } = t;
  if (deva === 0 && latin === 0) return 'other';
  if (deva > 0 && latin > 0 && Math.min(deva, latin) / (deva + latin) > 0.2) return 'mixed';
  return deva >= latin ? 'Deva' : 'Latn';
}

export function detectScript(text: string): Script {
  return scriptOf(tally(text));
}

// log-odds per letter below which spelling alone says nothing
const SPELLING_MARGIN = 0.15;

/** How sure: the winner's share of the evidence, discounted when there is little of it. */
function confidenceOf(best: number, rest: number): number {
  const share = best / (best + rest);
  const amount = 1 - Math.exp(-best / 2);
  return Math.round(share * amount * 100) / 100;
}

/** All the evidence for each of the two, names included: once a text is one of them, a name may still tip it. */
function indicScores(t: Tally): { mr: number; hi: number } {
  return { mr: t.mr + t.mrName, hi: t.hi + t.hiName + t.hiShared };
}

function pickIndic(t: Tally): LanguageGuess['lang'] {
  const { mr, hi } = indicScores(t);
  // Marathi first: a tie between the two goes to Marathi, the city's language
  return mr >= hi ? 'mr' : 'hi';
}

// franc's score for Hindi must beat Marathi's by this much before an unmarked text is called Hindi
const FRANC_HINDI_LEAD = 0.2;

/**
 * Devanagari with no marker at all (a headline, a list of nouns): franc's trigrams restricted to the two decide,
 * and only a clear lead makes it Hindi — in Pune an unmarked Devanagari text is Marathi more often than not.
 */
function francDeva(text: string): Language | undefined {
  const ranked = francAll(text, { only: ['mar', 'hin'], minLength: 10 });
  const hin = ranked.find(([code]) => code === 'hin')?.[1];
  const mar = ranked.find(([code]) => code === 'mar')?.[1];
  if (hin === undefined || mar === undefined) return undefined;
  return hin - mar > FRANC_HINDI_LEAD ? 'hi' : 'mr';
}

/**
 * Language and script of a citizen's message: Marathi, Hindi or English, in Devanagari or Latin letters.
 *
 * Script first, then marker words and endings (see language-markers.ts); romanised Marathi is `mr` with script
 * `Latn`. English words in a message that also has Marathi or Hindi markers are code-mixing, not English. `und`
 * means too little signal: the caller applies the channel's default language.
 */
export function detectLanguage(text: string): LanguageGuess {
  let t = tally(text);
  // UTF-8 Marathi read in the wrong charset (an old mail client, a CSV export) is still Marathi
  if (t.devaLetters === 0) {
    const repaired = repairMojibake(text);
    if (repaired !== text) {
      text = repaired;
      t = tally(text);
    }
  }
  const script = scriptOf(t);
  if (script === 'other') return { lang: 'und', script, confidence: 0 };
  const names = t.mrName + t.hiName;
  const indic = t.mr + t.hi + names + t.hiShared;

  if (t.devaWords > 0 && (script !== 'Latn' || indic > 0)) {
    // Nepali or Sanskrit: answering in Marathi or Hindi would be answering in the wrong language
    if (t.neither > indic - t.hiShared) return { lang: 'und', script, confidence: 0 };
    if (indic > 0) {
      const lang = pickIndic(t);
      const { mr, hi } = indicScores(t);
      const guess: LanguageGuess = { lang, script, confidence: confidenceOf(Math.max(mr, hi), Math.min(mr, hi)) };
      // without what spelling gave, would the winner still lead?
      const [own, other] = lang === 'mr' ? [mr - t.mrSpelling, hi - t.hiSpelling] : [hi - t.hiSpelling, mr - t.mrSpelling];
      return own > other ? guess : { ...guess, spellingOnly: true };
    }
    const lang = francDeva(text);
    return lang ? { lang, script, confidence: 0.3, spellingOnly: true } : { lang: 'und', script, confidence: 0 };
  }

  // Latin letters only (or nearly): English unless Marathi or Hindi words outweigh its function words. Beside
  // English function words a name is a name ("Sharad Pawar met…", "Modi ji is…"), not a Marathi or Hindi word
  const words = t.mr + t.hi;
  const againstEnglish = t.en > 0 ? words : indic;
  if (againstEnglish > 0 && againstEnglish >= t.en * 0.5) {
    const lang = pickIndic(t);
    const { mr, hi } = indicScores(t);
    return { lang, script, confidence: confidenceOf(Math.max(mr, hi), Math.min(mr, hi) + t.en / 2) };
  }
  if (t.en > 0) return { lang: 'en', script, confidence: confidenceOf(t.en, words) };
  if (t.enCommon > 0) return { lang: 'en', script, confidence: Math.min(0.3, 0.1 * t.enCommon) };
  const bySpelling = guessLatinBySpelling(t.unknownLatin);
  if (bySpelling && bySpelling.margin > SPELLING_MARGIN) return { lang: bySpelling.lang, script, confidence: 0.1, spellingOnly: true };
  return { lang: 'und', script, confidence: 0 };
}

/** Which marker words a text hit and how much each weighed: for tuning the lexicons, not used at run time. */
export function explainLanguage(text: string): string[] {
  const hits: string[] = [];
  tally(text, (word, t) => {
    const parts = (['mr', 'hi', 'en', 'mrName', 'hiName', 'hiShared', 'neither'] as const).filter((k) => t[k] > 0).map((k) => `${k}${t[k]}`);
    if (parts.length) hits.push(`${word}:${parts.join(',')}`);
  });
  return hits;
}
