/**
 * Hints at what a complaint is about (garbage, water, potholes …) from the keywords in config/categories.yaml.
 * A hint, not a decision: the bot and staff confirm the category.
 */
import type { Category } from '../config/gazetteer.ts';
import { matchKey, PhraseIndex } from './match-key.ts';

export interface CategoryHint {
  categoryId: string;
  department: string;
  /** the sum over the distinct keywords found of their length in words (a two-word phrase counts 2) */
  score: number;
  /** the keywords as written in the message, in order, each once */
  keywords: string[];
}

interface Keyword {
  category: number;
  /** the configured keyword's folded form, so "kachra" twice or "Kachraa" counts once */
  key: string;
  words: number;
}

/**
 * Builds the index once; the returned function is pure. Hints are sorted by score, ties in the order of the
 * file. Where keywords overlap the longest wins ("pani nahi" is one water-supply keyword, not also "pani").
 */
export function createCategoryMatcher(categories: readonly Category[]): (text: string, names?: readonly (readonly [number, number])[]) => CategoryHint[] {
  const index = new PhraseIndex<Keyword>();
  categories.forEach((category, i) => {
    for (const list of Object.values(category.keywords))
      for (const keyword of list) {
        const key = matchKey(keyword);
        index.add(keyword, { category: i, key, words: key.split(' ').length });
      }
  });

  // `names`: where the message names a place (a ward office, a landmark); a keyword wholly inside one is part of
  // the name, not a problem ("नळ स्टॉप", "कोरेगाव पार्क"), while "Sinhagad Road damaged" keeps "road damaged"
  return (text, names = []) => {
    const hits = index.scan(text);
    if (hits.length === 0) return [];
    const byCategory = new Map<number, { score: number; keys: Set<string>; keywords: string[] }>();
    for (const { value, start, end } of hits) {
      if (names.some(([from, to]) => start >= from && end <= to)) continue;
      let acc = byCategory.get(value.category);
      if (!acc) byCategory.set(value.category, (acc = { score: 0, keys: new Set(), keywords: [] }));
      if (acc.keys.has(value.key)) continue;
      acc.keys.add(value.key);
      acc.score += value.words;
      acc.keywords.push(text.slice(start, end));
    }
    return [...byCategory]
      .sort(([a, x], [b, y]) => y.score - x.score || a - b)
      .map(([i, acc]) => ({ categoryId: categories[i]!.id, department: categories[i]!.department, score: acc.score, keywords: acc.keywords }));
  };
}
