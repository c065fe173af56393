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
import { fold, foldedWeights } from './deva-spelling.ts';
import { EN_COMMON } from './english-common-words.ts';
import { nameLikeWords, type LatinWord } from './latin-names.ts';
import { withoutLinks } from './links.ts';

/**
 * The evidence in a message, word by word: marker words, endings and spellings of Marathi, Hindi and English
 * (language-markers.ts), read with the words around them where a word means different things in the two
 * languages (का, हो), and with names kept apart from words (latin-names.ts).
 */
export interface Tally {
  mr: number;
  hi: number;
  en: number;
  /** Marathi and Hindi markers that were spelled as names ("Mala Sinha", "AAP", "Modi ji"): weaker evidence */
  mrName: number;
  hiName: number;
  /** Hindi spellings and words Nepali and Sanskrit share (final -ि, ँ, हो, का): Hindi rather than Marathi, but no
   * evidence against those two */
  hiShared: number;
  /**
   * Of mr, and of hi with hiShared: what only a word's spelling gave (ळ, ण, a nukta, a chandrabindu), no word or
   * ending. A Pune place's name carries it whoever writes it ("माळवाडी", "गाडीतळ" in a Hindi sentence).
   */
  mrSpelling: number;
  hiSpelling: number;
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

const WORD = /[\p{L}\p{M}]+/gu;
const DEVANAGARI_LETTER = /\p{Script=Devanagari}/u;
const LATIN_LETTER = /[a-z\u00C0-\u024F]/iu;
// Hindi spells ड़/ढ़ with a nukta and writes chandrabindu (as Nepali does); Marathi writes ळ and ऱ, which Hindi lacks
const HINDI_LETTERS = /\u095C|\u095D|\u0921\u093C|\u0922\u093C/u;
const CHANDRABINDU = '\u0901';
// any other nukta (ज़, फ़, ख़ of Urdu and English loans): Hindi marks them, Marathi writes ज, फ, ख
const NUKTA = /[\u093C\u0958-\u095F]/u;
const MARATHI_LETTERS = /[\u0933\u0931]/u;
// Marathi writes English "a" (बॅक, पॅनल) with candra e; Hindi writes बैक
const CANDRA_E = '\u0945';
// colloquial Marathi neuter in -ं after a consonant (झालं, कारचं, नवं); Hindi ends in a vowel sign + ं (में, हैं)
const DEVA_GLUED_GENITIVE = /[\u0915-\u0939\u0958-\u095F]\u093C?(?:ची|चा|चे|च्या)$/u;
const DEVA_CONSONANT_ANUSVARA = /[\u0915-\u0939\u0958-\u095F]\u093C?\u0902$/u;
// Marathi glues the instrumental -ने to a noun (सरकारने); Hindi writes it apart (सरकार ने)
const DEVA_CONSONANT_NE = /[\u0915-\u0939\u0958-\u095F]\u093C?ने$/u;
// Marathi spelling writes a final i long (बुद्धी, शक्ती, स्थिती); Hindi keeps the short one (बुद्धि, शक्ति, स्थिति)
const DEVA_FINAL_SHORT_I = /[\u0915-\u0939\u0958-\u095F]\u093C?\u093F$/u;
// romanised Marathi: gerund -un (sodun, karun) and emphatic -ch (kadhich, lagech) after a consonant
const LATN_GERUND = /[^aeiou]un$/u;
const LATN_EMPHATIC = /[^aeiou][aei]ch$/u;
const FOLDED_MARATHI = foldedWeights(DEVA_MARATHI, DEVA_HINDI);
const FOLDED_HINDI = foldedWeights(DEVA_HINDI, DEVA_MARATHI);

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

export function emptyTally(): Tally {
  return {
    mr: 0, hi: 0, en: 0, mrName: 0, hiName: 0, hiShared: 0, mrSpelling: 0, hiSpelling: 0, neither: 0, enCommon: 0, unknownLatin: [],
    devaWords: 0, latinWords: 0, devaLetters: 0, latinLetters: 0,
  };
}

function endingWeight(word: string, index: EndingIndex): number {
  const candidates = index.get(word[word.length - 1] ?? '');
  if (candidates) for (const e of candidates) if (word.length >= e.minLength && word.endsWith(e.suffix)) return e.weight;
  return 0;
}

/** What stands around a word: the next word if nothing but spaces comes between, and what follows the word. */
interface Neighbours {
  /** the previous word, lower-cased, when it is Devanagari and only spaces come between */
  devaBefore: string | undefined;
  /** the next word, lower-cased, when it is Devanagari and only spaces come between */
  devaAfter: string | undefined;
  /** the text after the word, up to the next word */
  gapAfter: string;
  last: boolean;
}

const CONTEXT_WORDS: ReadonlySet<string> = new Set(['का', 'हो']);
const MARATHI_PAST = /ल[ाीे]$/u;

/**
 * Two short words Hindi and Marathi both write, with different jobs. का: Hindi's genitive stands before its noun
 * (आदमी का घर); Marathi's asks "why" before a verb (का गेला) or ends a question (येणार का?). हो: Hindi's "be"
 * follows a word (जय हो, क्या हो); Marathi's "yes" comes first or alone (हो, बरोबर).
 */
function scoreContextWord(word: string, at: Neighbours, t: Tally): void {
  if (word === 'का') {
    if (at.devaAfter !== undefined) {
      if (DEVA_MARATHI[at.devaAfter] !== undefined) t.mr += 1;
      // a past in -ला/-ली/-ले may be Marathi's verb (का बोलला?) as well as Hindi's noun (का फैसला): no evidence
      else if (!MARATHI_PAST.test(at.devaAfter)) t.hiShared += 1;
    } else if (at.gapAfter.trimStart().startsWith('?')) t.mr += 2;
    else if (at.last) t.mr += 1;
  } else if (at.devaBefore !== undefined && at.devaBefore !== 'हो') {
    // हो हो is Marathi's "yes, yes"
    t.hiShared += 1.5;
  }
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
  const folded = fold(word);
  const mrFolded = FOLDED_MARATHI.get(folded);
  const hiFolded = FOLDED_HINDI.get(folded);
  if (mrFolded !== undefined || hiFolded !== undefined) {
    t.mr += mrFolded ?? 0;
    t.hi += hiFolded ?? 0;
    return;
  }
  // an emphatic ही glued after a case ending (गटालाही, मलाही, older कोणालाहि) hides the ending: look under it
  const emphatic = word.length > 5 && (word.endsWith('ही') || word.endsWith('हि'));
  const stem = emphatic ? word.slice(0, -2) : word;
  let mrEnding = endingWeight(stem, MARATHI_DEVA_ENDINGS);
  if (mrEnding === 0 && word.length >= 4) {
    if (DEVA_GLUED_GENITIVE.test(word)) mrEnding = 1.5;
    else if (DEVA_CONSONANT_ANUSVARA.test(word)) mrEnding = 1.5;
    else if (DEVA_CONSONANT_NE.test(word)) mrEnding = 0.5;
  }
  t.mr += mrEnding;
  t.hi += endingWeight(word, HINDI_DEVA_ENDINGS);
  let mrSpelling = 0;
  let hiSpelling = 0;
  let hiSharedSpelling = 0;
  if (MARATHI_LETTERS.test(word)) mrSpelling += 1.5;
  if (word.includes(CANDRA_E)) mrSpelling += 1;
  // ण is everyday Marathi (पाणी, आणि, करणे) but in Hindi mostly learned Sanskrit words (कारण, निर्माण): a hint;
  // not in the Sanskrit cluster ष्ण (कृष्ण, विष्णु), which both write alike
  if (word.includes('ण') && !word.includes('ष्ण')) mrSpelling += 0.5;
  if (HINDI_LETTERS.test(word)) hiSpelling += 1.5;
  else if (NUKTA.test(word)) hiSpelling += 1;
  if (word.includes(CHANDRABINDU)) hiSharedSpelling += 1.5;
  if (!emphatic && word.length >= 4 && word.endsWith('\u093F') && DEVA_FINAL_SHORT_I.test(word)) hiSharedSpelling += 1;
  t.mr += mrSpelling;
  t.hi += hiSpelling;
  t.hiShared += hiSharedSpelling;
  t.mrSpelling += mrSpelling;
  t.hiSpelling += hiSpelling + hiSharedSpelling;
}

function scoreLatin(word: string, asName: boolean, t: Tally): void {
  const evidence = latinEvidence(word, t);
  if (asName) {
    t.mrName += evidence.mr;
    t.hiName += evidence.hi;
  } else {
    t.mr += evidence.mr;
    t.hi += evidence.hi;
  }
}

/** A Latin word's Marathi and Hindi evidence; English evidence and unknown words go straight into the tally. */
function latinEvidence(word: string, t: Tally): { mr: number; hi: number } {
  const mr = LATN_MARATHI[word];
  const hi = LATN_HINDI[word];
  const en = LATN_ENGLISH[word];
  if (mr !== undefined || hi !== undefined || en !== undefined) {
    t.en += en ?? 0;
    return { mr: mr ?? 0, hi: hi ?? 0 };
  }
  if (EN_COMMON.has(word)) {
    t.enCommon++;
    return { mr: 0, hi: 0 };
  }
  let mrEnding = 0;
  if (word.length >= 5 && !LATN_NOT_MARATHI.has(word)) {
    mrEnding = endingWeight(word, MARATHI_LATN_ENDINGS);
    if (mrEnding === 0 && (LATN_GERUND.test(word) || (word.length >= 6 && LATN_EMPHATIC.test(word)))) mrEnding = 1;
  }
  const hiEnding = endingWeight(word, HINDI_LATN_ENDINGS);
  if (hiEnding === 0 && word.length >= 3) t.unknownLatin.push(word);
  return { mr: mrEnding, hi: hiEnding };
}

interface Word extends LatinWord {
  deva: boolean;
}

/** The words language detection reads: links, e-mail addresses and @handles blanked out (hashtags' words stay). */
function wordsOf(text: string): { source: string; words: Word[] } {
  const source = withoutLinks(text, { keepHashtags: true });
  const words: Word[] = [];
  for (const m of source.matchAll(WORD)) {
    const deva = DEVANAGARI_LETTER.test(m[0]);
    if (deva || LATIN_LETTER.test(m[0])) words.push({ text: m[0], start: m.index, end: m.index + m[0].length, deva });
  }
  return { source, words };
}

const ONLY_SPACES = /^\s+$/u;

function neighboursOf(source: string, words: readonly Word[], i: number): Neighbours {
  const w = words[i]!;
  const prev = words[i - 1];
  const next = words[i + 1];
  const gapAfter = source.slice(w.end, next?.start ?? source.length);
  return {
    devaBefore: prev !== undefined && prev.deva && ONLY_SPACES.test(source.slice(prev.end, w.start)) ? prev.text.toLowerCase() : undefined,
    devaAfter: next !== undefined && next.deva && ONLY_SPACES.test(gapAfter) ? next.text.toLowerCase() : undefined,
    gapAfter,
    last: next === undefined,
  };
}

/**
 * Every word's evidence added into one tally. With `perWord` (for explaining), each word's evidence goes to the
 * callback instead, and the tally returned counts only words and letters.
 */
export function tally(text: string, perWord?: (word: string, t: Tally) => void): Tally {
  const total = emptyTally();
  const { source, words } = wordsOf(text);
  const latin = words.filter((w) => !w.deva);
  const names = nameLikeWords(source, latin);
  let latinIndex = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const word = w.text.toLowerCase();
    const t = perWord ? emptyTally() : total;
    if (w.deva) {
      total.devaWords++;
      total.devaLetters += word.length;
      if (CONTEXT_WORDS.has(word)) scoreContextWord(word, neighboursOf(source, words, i), t);
      else scoreDeva(word, t);
    } else {
      total.latinWords++;
      total.latinLetters += word.length;
      scoreLatin(word, names[latinIndex++] === true, t);
    }
    if (perWord) perWord(word, t);
  }
  return total;
}
