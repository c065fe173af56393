import type { NormalizedMessage } from '../../normalizer/index.ts';
import { matchTokens } from '../../normalizer/match-key.ts';
import { spellOutContractions } from './contractions.ts';

const EMOJI = /\p{Extended_Pictographic}/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const DEVANAGARI = /\p{Script=Devanagari}/u;

function lengthBucket(words: number): string {
  if (words <= 1) return 'len:1';
  if (words <= 3) return 'len:2-3';
  if (words <= 6) return 'len:4-6';
  if (words <= 12) return 'len:7-12';
  return 'len:13+';
}

// words repeat across messages: each word's own features are made once (cleared when big, as match-key's cache)
const WORD_CACHE_LIMIT = 10_000;
const wordCache = new Map<string, readonly string[]>();

/** a word, its stems, and its letter trigrams ("<कचरा>" → "<कच", "कचर", …) */
function wordFeatures(key: string, stems: readonly string[]): readonly string[] {
  let f = wordCache.get(key);
  if (f === undefined) {
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    const list = [`w:${key}`, ...stems.map((s) => `w:${s}`)];
    const padded = `<${key}>`;
    if (padded.length >= 5) for (let i = 0; i + 3 <= padded.length; i++) list.push(`c:${padded.slice(i, i + 3)}`);
    wordCache.set(key, (f = list));
  }
  return f;
}

/**
 * What the classifier sees of a turn: its folded words and their stems (match-key.ts, shared with the ward and
 * category matchers, so "kachra" = "kachara", कोथरूडमध्ये = कोथरूड), pairs of words, letter trigrams (spellings
 * nobody listed, inflections), and what the normalizer found (a category word, a ward, a place, a ticket number,
 * a rating) — the last generalise best: a message naming a civic problem is a complaint whatever else it says.
 */
export function turnFeatures(n: Pick<NormalizedMessage, 'text' | 'numeric' | 'entities'>, extra: { faq?: boolean } = {}): string[] {
  const tokens = matchTokens(spellOutContractions(n.text));
  const out = new Set<string>();
  let previous = '^';
  for (const t of tokens) {
    for (const f of wordFeatures(t.key, t.stems)) out.add(f);
    out.add(`b:${previous}|${t.key}`);
    previous = t.key;
  }
  if (tokens.length > 0) out.add(`b:${previous}|$`);
  for (const e of n.text.match(EMOJI) ?? []) out.add(`em:${e}`);
  const e = n.entities;
  if (e.ticketNumbers.length > 0) out.add('e:ticket');
  if (e.rating !== undefined) out.add('e:rating');
  if (e.ward) out.add('e:ward');
  if (e.place) out.add('e:place');
  if (e.categories.length > 0) out.add('e:category');
  if (e.categories.length > 1) out.add('e:categories');
  if (e.location) out.add('e:location');
  if (e.pinCodes.length > 0) out.add('e:pin');
  if (e.phones.length > 0) out.add('e:phone');
  if (e.urls.length > 0) out.add('e:url');
  // the words of an FAQ entry (config/messages faq: keywords): what staff added there teaches questions too
  if (extra.faq) out.add('e:faq');
  out.add(lengthBucket(tokens.length));
  if (n.text.includes('?')) out.add('p:?');
  if (/!{1,}/u.test(n.text)) out.add('p:!');
  if (/[?!]{3,}/u.test(n.text)) out.add('p:?!!!');
  if (!LETTER_OR_DIGIT.test(n.text)) out.add(n.text.trim() ? 'only:symbols' : 'only:nothing');
  if (/^\s*[1-5](?![0-9])/u.test(n.numeric)) out.add('first:1-5');
  if (/^\s*[0-9\s.,/-]+$/u.test(n.numeric) && /[0-9]/u.test(n.numeric)) out.add('only:digits');
  out.add(DEVANAGARI.test(n.text) ? 'script:deva' : 'script:latn');
  return [...out];
}
