import { EN_COMMON } from './english-common-words.ts';
import { LATN_ENGLISH, LATN_HINDI, LATN_MARATHI } from './language-markers.ts';

/**
 * Letter-trigram profiles of English and of romanised Marathi and Hindi, built at load time from our own word
 * lists (no corpus): the last resort for a Latin-letter message with no marker word at all ("Jealous!",
 * "lavkar ya"), where spelling alone — "ous", "ief" against "aa", "kh", "chya" — is the only signal left.
 */

type Profile = Map<string, number>;
export type LatinGuess = 'en' | 'mr' | 'hi';

function trigrams(word: string): string[] {
  const padded = ` ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

function profileOf(words: Iterable<string>): { logp: Profile; floor: number } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const w of words) {
    for (const g of trigrams(w)) {
      counts.set(g, (counts.get(g) ?? 0) + 1);
      total++;
    }
  }
  const vocabulary = 27 ** 3;
  const logp: Profile = new Map();
  for (const [g, c] of counts) logp.set(g, Math.log((c + 1) / (total + vocabulary)));
  return { logp, floor: Math.log(1 / (total + vocabulary)) };
}

const EN = profileOf([...EN_COMMON, ...Object.keys(LATN_ENGLISH)]);
const MR = profileOf(Object.keys(LATN_MARATHI));
const HI = profileOf(Object.keys(LATN_HINDI));

function logLikelihood(word: string, p: { logp: Profile; floor: number }): number {
  let sum = 0;
  for (const g of trigrams(word)) sum += p.logp.get(g) ?? p.floor;
  return sum;
}

/** The likeliest of the three for these words, with how far ahead it is (log-odds per trigram). */
export function guessLatinBySpelling(words: readonly string[]): { lang: LatinGuess; margin: number } | undefined {
  let en = 0;
  let mr = 0;
  let hi = 0;
  let n = 0;
  for (const w of words) {
    en += logLikelihood(w, EN);
    mr += logLikelihood(w, MR);
    hi += logLikelihood(w, HI);
    n += w.length + 1;
  }
  if (n === 0) return undefined;
  const ranked: [LatinGuess, number][] = [
    ['en', en],
    ['mr', mr],
    ['hi', hi],
  ];
  ranked.sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || !second) return undefined;
  return { lang: first[0], margin: (first[1] - second[1]) / n };
}
