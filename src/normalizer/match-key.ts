/**
 * Match keys: text and staff-written phrases (ward names, category keywords) are cut into words and each word
 * is folded so that the usual spelling variants meet (Kothrud = kothrud, कोथरूड = कोथरुड, Bawdhan = Baavdhan).
 * A PhraseIndex then finds configured phrases in a message, word by word, through one Map lookup per word.
 */

// a word: letters, their combining marks and digits; ZWJ/ZWNJ belong to Devanagari spelling (क्‍ष)
const WORD = /[\p{L}\p{M}\p{N}\u200C\u200D]+/gu;
// Latin diacritics (after NFD), the Devanagari nukta (ड़ = ड, ऱ = र after NFD) and ZWJ/ZWNJ carry no meaning here
const DROPPED_MARKS = /[\u0300-\u036F\u093C\u200C\u200D]/gu;
// Devanagari letters written either way by different people
const DEVANAGARI_ALIKE: Readonly<Record<string, string>> = {
  'ँ': 'ं', // chandrabindu is written as anusvara by most keyboards
  'ी': 'ि', // long and short i signs are used interchangeably (कोथरूड/कोथरुड)
  'ई': 'इ',
  'ू': 'ु', // long and short u signs likewise
  'ऊ': 'उ',
  'ॉ': 'ो', // English loanwords: कॉलनी / कोलनी
  'ऑ': 'ओ',
  'ॅ': 'े', // बॅनर / बेनर
};
// the keys above, as alternatives (a vowel sign alone in a character class trips the linter's misleading-class rule)
const DEVANAGARI_ALIKE_CHARS = /ँ|ी|ई|ू|ऊ|ॉ|ऑ|ॅ/gu;
// a halant (्) left at the end of a word is a typing leftover
const TRAILING_HALANT = /\u094D$/u;
const LATIN_ASCII = /[a-z]/;
// doubled letters are a matter of taste in romanised Marathi (khadda/khada); nn is kept so "banner" is not Baner
const DOUBLED_LATIN = /([a-mo-z])\1+/g;

/** Fold one word (see the rules below, one per line). Exported for tests; callers normally use matchTokens. */
export function foldWord(word: string): string {
  let w = word
    .normalize('NFD') // split é into e + ´ and क़ into क + ़ so the marks can be dropped
    .replace(DROPPED_MARKS, '')
    .normalize('NFC')
    .toLowerCase();
  if (LATIN_ASCII.test(w)) {
    w = w
      .replace(/ee/g, 'i') // Shree = Shri
      .replace(/oo/g, 'u') // Poona = Puna
      .replace(/w/g, 'v') // Warje = Varje, Bawdhan = Bavdhan (Marathi व is written either way)
      .replace(/ph/g, 'f') // pheriwale = feriwale
      .replace(/[jz]h/g, 'z') // jhaad = zhaad = zaad (Marathi झ)
      .replace(DOUBLED_LATIN, '$1'); // khadda = khada, baavdhan = bavdhan
    if (w === 'rd') w = 'road'; // Ghole Rd = Ghole Road
  }
  return w.replace(DEVANAGARI_ALIKE_CHARS, (c) => DEVANAGARI_ALIKE[c] ?? c).replace(TRAILING_HALANT, '');
}

/**
 * Marathi case endings and postpositions that people glue to a place or a noun: कोथरूडमध्ये, बाणेरला,
 * हडपसरमधील, kothrudla, banerchya. Only the last word of a phrase may carry one, and the stem left must have
 * at least MIN_STEM characters, so short words are never cut.
 */
const GLUED_ENDINGS_WRITTEN = [
  // Devanagari
  'मध्ये', 'मधे', 'मधी', 'मधील', 'मधला', 'मधली', 'मधले', 'मधल्या', 'मधून', 'ला', 'चा', 'ची', 'चे', 'च्या', 'ात',
  'ातील', 'तील', 'वर', 'वरील', 'वरचा', 'वरची', 'वरचे', 'वरच्या', 'जवळ', 'जवळील', 'समोर', 'समोरील', 'कडे', 'कडून',
  'पर्यंत', 'पासून', 'हून', 'मुळे', 'साठी',
  // the same after the oblique vowel some words take: पेठेत, पेठेतील, रोडावर, चौकाच्या
  'ेत', 'ेतील', 'ेला', 'ेचा', 'ेची', 'ेचे', 'ेच्या', 'ेवर', 'ाला', 'ाचा', 'ाची', 'ाचे', 'ाच्या', 'ावर', 'ामध्ये', 'ाजवळ',
  'ासमोर',
  // romanised
  'madhe', 'madhye', 'madhi', 'madhil', 'madhla', 'madhli', 'madhle', 'madhlya', 'madhun', 'la', 'cha', 'chi', 'che',
  'chya', 'at', 'atil', 'til', 'var', 'varil', 'javal', 'samor', 'kade', 'kadun', 'paryant', 'pasun', 'hun', 'mule',
  'sathi',
];
const MIN_STEM = 3;
// folded like the words they are cut from; longest ending first, so the shortest stem is tried first
const GLUED_ENDINGS = [...new Set(GLUED_ENDINGS_WRITTEN.map(foldWord))].sort((a, b) => b.length - a.length);

/** a word list written plainly ("हो होय haan …"), folded for lookups: the sets recognisers and lists are made of */
export function foldedWords(list: string): Set<string> {
  return new Set(list.split(/\s+/u).filter(Boolean).map(foldWord));
}

/** The word's folded form minus each glued ending it carries (none for most words). */
export function gluedStems(key: string): string[] {
  const stems: string[] = [];
  for (const ending of GLUED_ENDINGS) {
    if (key.length - ending.length >= MIN_STEM && key.endsWith(ending)) stems.push(key.slice(0, -ending.length));
  }
  // the locative after a word that ends in -ी or -ू takes त alone: बिबवेवाडीत, धनकवडीत, bibwewadit
  if (key.length > MIN_STEM && LOCATIVE_AFTER_VOWEL.test(key)) stems.push(key.slice(0, -1));
  return stems;
}
// folded: ी is ि and ू is ु here
const LOCATIVE_AFTER_VOWEL = /(?:[िु]त|[iu]t)$/u;

interface FoldedWord {
  key: string;
  stems: string[];
}

// words repeat across messages, so each distinct word is folded once; cleared when big, not an LRU, for speed
const CACHE_LIMIT = 10_000;
const cache = new Map<string, FoldedWord>();

function folded(word: string): FoldedWord {
  let f = cache.get(word);
  if (f === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const key = foldWord(word);
    f = { key, stems: gluedStems(key) };
    cache.set(word, f);
  }
  return f;
}

export interface MatchToken {
  /** the folded word */
  key: string;
  /** key minus a glued Marathi ending, if it has one */
  stems: readonly string[];
  /** where the word is in the text as written */
  start: number;
  end: number;
}

// the ward, category and place matchers all read the same message one after the other: cut it into words once
let lastText: string | undefined;
let lastTokens: readonly MatchToken[] = [];

/** The words of a text with their folded keys and where each was written. Shared: do not modify the result. */
export function matchTokens(text: string): readonly MatchToken[] {
  if (text === lastText) return lastTokens;
  const tokens: MatchToken[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const f = folded(m[0]);
    if (f.key.length > 0) tokens.push({ key: f.key, stems: f.stems, start: m.index, end: m.index + m[0].length });
  }
  lastText = text;
  lastTokens = tokens;
  return tokens;
}

/** The folded form of a whole text or phrase: its word keys joined by single spaces ('' if it has no words). */
export function matchKey(text: string): string {
  return matchTokens(text)
    .map((t) => t.key)
    .join(' ');
}

/**
 * How many characters of `word` (as written) make up the folded `prefixKey`: where to cut "कोथरूडमध्ये" to show
 * "कोथरूड". Only called on a hit, so a plain search is fine.
 */
export function writtenLength(word: string, prefixKey: string): number {
  for (let k = 1; k < word.length; k++) if (foldWord(word.slice(0, k)) === prefixKey) return k;
  return word.length;
}

export interface PhraseHit<T> {
  value: T;
  /** the phrase as written in the text: text.slice(start, end), without a glued ending */
  start: number;
  end: number;
}

interface Entry<T> {
  keys: readonly string[];
  value: T;
}

// the Marathi word for road, and the stems its forms with a postposition leave (रस्त्या|वर, रस्त्य|ात), by script
const ROAD_WORDS: Record<string, readonly string[]> = {
  [foldWord('रोड')]: ['रस्ता', 'रस्त्या', 'रस्त्य'].map(foldWord),
  road: ['rasta', 'rastya'].map(foldWord),
};

/**
 * Configured phrases, indexed by their first folded word, longest phrase first. A phrase of several words is
 * also found written as one ("Karve Nagar" = "Karvenagar"), unless that spelling belongs to another phrase.
 */
export class PhraseIndex<T> {
  private readonly byFirst = new Map<string, Entry<T>[]>();

  /**
   * Adds a phrase. If its folded form is already taken, the first holder keeps it and is returned; a phrase with
   * no letters or digits is ignored (the config loader rejects those with a message).
   */
  add(phrase: string, value: T): T | undefined {
    const keys = matchTokens(phrase).map((t) => t.key);
    if (keys.length === 0) return undefined;
    const holder = this.holder(keys);
    if (holder !== undefined) return holder;
    this.put(keys, value);
    if (keys.length > 1) {
      const joined = [keys.join('')];
      if (this.holder(joined) === undefined) this.put(joined, value);
      // "Sinhagad Road" is also "सिंहगड रस्ता": रस्त्यावर, रस्त्यात, rastyavar end in these stems
      const road = ROAD_WORDS[keys[keys.length - 1]!];
      for (const word of road ?? []) {
        const variant = [...keys.slice(0, -1), word];
        if (this.holder(variant) === undefined) this.put(variant, value);
      }
    }
    return undefined;
  }

  private holder(keys: readonly string[]): T | undefined {
    return this.byFirst.get(keys[0]!)?.find((e) => e.keys.length === keys.length && e.keys.every((k, i) => k === keys[i]))?.value;
  }

  private put(keys: readonly string[], value: T): void {
    const list = this.byFirst.get(keys[0]!) ?? [];
    list.push({ keys, value });
    list.sort((a, b) => b.keys.length - a.keys.length);
    this.byFirst.set(keys[0]!, list);
  }

  /**
   * Every phrase in the text, left to right. At each word the longest phrase starting there wins and the scan
   * continues after it, so "Karve Nagar Road" is one hit, not also "Nagar Road".
   */
  scan(text: string): PhraseHit<T>[] {
    const tokens = matchTokens(text);
    const hits: PhraseHit<T>[] = [];
    for (let i = 0; i < tokens.length; ) {
      const hit = this.longestAt(text, tokens, i);
      if (hit) {
        hits.push(hit.hit);
        i += hit.words;
      } else i++;
    }
    return hits;
  }

  private longestAt(text: string, tokens: readonly MatchToken[], i: number): { hit: PhraseHit<T>; words: number } | undefined {
    const first = tokens[i]!;
    for (const entry of this.byFirst.get(first.key) ?? []) {
      const n = entry.keys.length;
      if (i + n > tokens.length) continue;
      let inner = true;
      for (let k = 1; k < n - 1 && inner; k++) inner = tokens[i + k]!.key === entry.keys[k];
      if (!inner) continue;
      const last = tokens[i + n - 1]!;
      const lastKey = entry.keys[n - 1]!;
      if (n > 1 && last.key !== lastKey) {
        if (!last.stems.includes(lastKey)) continue;
        return { hit: { value: entry.value, start: first.start, end: last.start + writtenLength(text.slice(last.start, last.end), lastKey) }, words: n };
      }
      return { hit: { value: entry.value, start: first.start, end: last.end }, words: n };
    }
    // a single word with a glued ending: कोथरूडमध्ये, banerla
    for (const stem of first.stems) {
      const entry = this.byFirst.get(stem)?.find((e) => e.keys.length === 1);
      if (entry) return { hit: { value: entry.value, start: first.start, end: first.start + writtenLength(text.slice(first.start, first.end), stem) }, words: 1 };
    }
    return undefined;
  }
}
