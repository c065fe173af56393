import type { Weights } from './language-markers.ts';

/**
 * Devanagari as chat spells it: नही for नहीं, कीया for किया, बडा for बड़ा. Vowel length (ि/ी, ु/ू), nukta and
 * chandrabindu are not kept apart in a hurry, so a marker word is also looked up under a "folded" spelling
 * that drops those distinctions — unless the other language folds to the same form.
 */
const UNSTABLE_SPELLING = /[\u0940\u0942\u0901\u093C\u0958-\u095F]/gu;
const STABLE_FORM: Record<string, string> = {
  '\u0940': '\u093F', '\u0942': '\u0941', '\u0901': '\u0902', '\u093C': '',
  '\u0958': 'क', '\u0959': 'ख', '\u095A': 'ग', '\u095B': 'ज', '\u095C': 'ड', '\u095D': 'ढ', '\u095E': 'फ', '\u095F': 'य',
};

const HAS_UNSTABLE = /[\u0940\u0942\u0901\u093C\u0958-\u095F]/u;

export function fold(word: string): string {
  // most words have nothing to fold: skip the replace and its new string
  return HAS_UNSTABLE.test(word) ? word.replace(UNSTABLE_SPELLING, (c) => STABLE_FORM[c] ?? c) : word;
}

/** A lexicon under folded spelling, without the forms the other language folds to as well (they would be a guess). */
export function foldedWeights(own: Weights, other: Weights): ReadonlyMap<string, number> {
  const theirs = new Set(Object.keys(other).map(fold));
  const out = new Map<string, number>();
  for (const [w, weight] of Object.entries(own)) {
    const key = fold(w);
    if (!theirs.has(key)) out.set(key, Math.max(weight, out.get(key) ?? 0));
  }
  return out;
}
