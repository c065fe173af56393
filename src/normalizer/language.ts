import { francAll } from 'franc';
import type { Language } from '../model/index.ts';
import {
  DEVA_HINDI,
  DEVA_HINDI_ENDINGS,
  DEVA_MARATHI,
  DEVA_MARATHI_ENDINGS,
  DEVA_NEITHER,
  LATN_ENGLISH,
  LATN_HINDI,
  LATN_HINDI_ENDINGS,
  LATN_MARATHI,
  LATN_MARATHI_ENDINGS,
  LATN_NOT_MARATHI,
  type Ending,
} from './language-markers.ts';
import { EN_COMMON } from './english-common-words.ts';
import { repairMojibake } from './mojibake.ts';
import { guessLatinBySpelling } from './latin-trigrams.ts';
import { withoutLinks } from './links.ts';

export type Script = 'Deva' | 'Latn' | 'mixed' | 'other';

export interface LanguageGuess {
  lang: Language | 'und';
  script: Script;
  /** 0 (a guess) … 1 (certain); 0 with `und` */
  confidence: number;
}

// what language detection must not read: links, handles and e-mail addresses are not language
const WORD = /[\p{L}\p{M}]+/gu;
const DEVANAGARI_LETTER = /\p{Script=Devanagari}/u;
const LATIN_LETTER = /[a-z\u00C0-\u024F]/u;
// Hindi spells ड़/ढ़ with a nukta and writes chandrabindu; Marathi writes ळ and ऱ, which Hindi lacks
const HINDI_LETTERS = /\u095C|\u095D|\u0901|\u0921\u093C|\u0922\u093C/u;
const MARATHI_LETTERS = /[\u0933\u0931]/u;
// Marathi writes English "a" (बॅक, पॅनल) with candra e; Hindi writes बैक
const CANDRA_E = '\u0945';
// colloquial Marathi neuter in -ं after a consonant (झालं, कारचं, नवं); Hindi ends in a vowel sign + ं (में, हैं)
const DEVA_GLUED_GENITIVE = /[\u0915-\u0939\u0958-\u095F]\u093C?(?:ची|चा|चे|च्या)$/u;
const DEVA_CONSONANT_ANUSVARA = /[\u0915-\u0939\u0958-\u095F]\u093C?\u0902$/u;
// Marathi glues the instrumental -ने to a noun (सरकारने); Hindi writes it apart (सरकार ने)
const DEVA_CONSONANT_NE = /[\u0915-\u0939\u0958-\u095F]\u093C?ने$/u;
// romanised Marathi: gerund -un (sodun, karun) and emphatic -ch (kadhich, lagech) after a consonant
const LATN_GERUND = /[^aeiou]un$/u;
const LATN_EMPHATIC = /[^aeiou][aei]ch$/u;

interface Tally {
  mr: number;
  hi: number;
  en: number;
  /** Nepali or Sanskrit markers: Devanagari, but neither of our languages */
  neither: number;
  /** common English content words: only consulted when there are no function words at all */
  enCommon: number;
  /** Latin words no list knows, for the spelling fallback */
  unknownLatin: string[];
  devaWords: number;
  latinWords: number;
  devaLetters: number;
  latinLetters: number;
}

/** Endings grouped by their last character, in priority order: a word is checked against a handful, not all. */
type EndingIndex = ReadonlyMap<string, readonly Ending[]>;

function indexEndings(list: readonly Ending[]): EndingIndex {
  const index = new Map<string, Ending[]>();
  for (const e of list) {
    const last = e.suffix[e.suffix.length - 1]!;
    index.set(last, [...(index.get(last) ?? []), e]);
  }
  return index;
}

const MARATHI_DEVA_ENDINGS = indexEndings(DEVA_MARATHI_ENDINGS);
const HINDI_DEVA_ENDINGS = indexEndings(DEVA_HINDI_ENDINGS);
const MARATHI_LATN_ENDINGS = indexEndings(LATN_MARATHI_ENDINGS);
const HINDI_LATN_ENDINGS = indexEndings(LATN_HINDI_ENDINGS);

function emptyTally(): Tally {
  return { mr: 0, hi: 0, en: 0, neither: 0, enCommon: 0, unknownLatin: [], devaWords: 0, latinWords: 0, devaLetters: 0, latinLetters: 0 };
}

function endingWeight(word: string, index: EndingIndex): number {
  const candidates = index.get(word[word.length - 1] ?? '');
  if (candidates) for (const e of candidates) if (word.length >= e.minLength && word.endsWith(e.suffix)) return e.weight;
  return 0;
}

/** The text with what is not language blanked out: links, e-mail addresses and @handles (hashtags' words stay). */
function languageOnly(text: string): string {
  return withoutLinks(text, { keepHashtags: true }).toLowerCase();
}

function scoreDeva(word: string, t: Tally): void {
  t.neither += DEVA_NEITHER[word] ?? 0;
  const mr = DEVA_MARATHI[word];
  const hi = DEVA_HINDI[word];
  if (mr !== undefined || hi !== undefined) {
    t.mr += mr ?? 0;
    t.hi += hi ?? 0;
    return;
  }
  // an emphatic ही glued after a case ending (गटालाही, मलाही) hides the ending: look under it
  const stem = word.length > 5 && word.endsWith('ही') ? word.slice(0, -2) : word;
  let mrEnding = endingWeight(stem, MARATHI_DEVA_ENDINGS);
  if (mrEnding === 0 && word.length >= 4) {
    if (DEVA_GLUED_GENITIVE.test(word)) mrEnding = 1.5;
    else if (DEVA_CONSONANT_ANUSVARA.test(word)) mrEnding = 1.5;
    else if (DEVA_CONSONANT_NE.test(word)) mrEnding = 0.5;
  }
  t.mr += mrEnding;
  t.hi += endingWeight(word, HINDI_DEVA_ENDINGS);
  if (MARATHI_LETTERS.test(word)) t.mr += 1.5;
  if (word.includes(CANDRA_E)) t.mr += 1;
  // ण is everyday Marathi (पाणी, आणि, करणे) but in Hindi mostly learned Sanskrit words (कारण, निर्माण): a hint
  if (word.includes('ण')) t.mr += 0.5;
  if (HINDI_LETTERS.test(word)) t.hi += 1.5;
}

function scoreLatin(word: string, t: Tally): void {
  const mr = LATN_MARATHI[word];
  const hi = LATN_HINDI[word];
  const en = LATN_ENGLISH[word];
  if (mr !== undefined || hi !== undefined || en !== undefined) {
    t.mr += mr ?? 0;
    t.hi += hi ?? 0;
    t.en += en ?? 0;
    return;
  }
  if (EN_COMMON.has(word)) {
    t.enCommon++;
    return;
  }
  if (word.length >= 5 && !LATN_NOT_MARATHI.has(word)) {
    let mr = endingWeight(word, MARATHI_LATN_ENDINGS);
    if (mr === 0 && (LATN_GERUND.test(word) || (word.length >= 6 && LATN_EMPHATIC.test(word)))) mr = 1;
    t.mr += mr;
  }
  const hiEnding = endingWeight(word, HINDI_LATN_ENDINGS);
  t.hi += hiEnding;
  if (hiEnding === 0 && word.length >= 3) t.unknownLatin.push(word);
}

function tally(text: string): Tally {
  const t = emptyTally();
  for (const match of languageOnly(text).matchAll(WORD)) {
    const word = match[0];
    if (DEVANAGARI_LETTER.test(word)) {
      t.devaWords++;
      t.devaLetters += word.length;
      scoreDeva(word, t);
    } else if (LATIN_LETTER.test(word)) {
      t.latinWords++;
      t.latinLetters += word.length;
      scoreLatin(word, t);
    }
  }
  return t;
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

function pickIndic(t: Tally): LanguageGuess['lang'] {
  // Marathi first: a tie between the two goes to Marathi, the city's language
  return t.mr >= t.hi ? 'mr' : 'hi';
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
  const indic = t.mr + t.hi;

  if (t.devaWords > 0 && (script !== 'Latn' || indic > 0)) {
    // Nepali or Sanskrit: answering in Marathi or Hindi would be answering in the wrong language
    if (t.neither > indic) return { lang: 'und', script, confidence: 0 };
    if (indic > 0) {
      const lang = pickIndic(t);
      return { lang, script, confidence: confidenceOf(Math.max(t.mr, t.hi), Math.min(t.mr, t.hi)) };
    }
    const lang = francDeva(text);
    return lang ? { lang, script, confidence: 0.3 } : { lang: 'und', script, confidence: 0 };
  }

  // Latin letters only (or nearly): English unless Marathi or Hindi words outweigh its function words
  if (indic > 0 && indic >= t.en * 0.5) {
    const lang = pickIndic(t);
    return { lang, script, confidence: confidenceOf(Math.max(t.mr, t.hi), Math.min(t.mr, t.hi) + t.en / 2) };
  }
  if (t.en > 0) return { lang: 'en', script, confidence: confidenceOf(t.en, indic) };
  if (t.enCommon > 0) return { lang: 'en', script, confidence: Math.min(0.3, 0.1 * t.enCommon) };
  const bySpelling = guessLatinBySpelling(t.unknownLatin);
  if (bySpelling && bySpelling.margin > SPELLING_MARGIN) return { lang: bySpelling.lang, script, confidence: 0.1 };
  return { lang: 'und', script, confidence: 0 };
}

/** Which marker words a text hit and how much each weighed: for tuning the lexicons, not used at run time. */
export function explainLanguage(text: string): string[] {
  const hits: string[] = [];
  for (const match of languageOnly(text).matchAll(WORD)) {
    const t = emptyTally();
    const word = match[0];
    if (DEVANAGARI_LETTER.test(word)) scoreDeva(word, t);
    else scoreLatin(word, t);
    const parts = (['mr', 'hi', 'en'] as const).filter((k) => t[k] > 0).map((k) => `${k}${t[k]}`);
    if (parts.length) hits.push(`${word}:${parts.join(',')}`);
  }
  return hits;
}
