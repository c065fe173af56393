import type { NormalizedMessage } from '../normalizer/index.ts';

/**
 * Whether a message is nothing but the names of places: the place phrase and the ward it names, and punctuation.
 * Its words are the city's, not the citizen's language: "बड़ा बाज़ार, कसबा पेठ" from a Marathi speaker is a market's
 * name spelled the Hindi way. "हडपसर में है" is not: "में है" are the citizen's own words.
 */
export function onlyPlaceNames(normalized: NormalizedMessage): boolean {
  const { place, ward } = normalized.entities;
  const names = [place, ward?.matched].filter((n): n is string => n !== undefined && n.length > 0);
  if (names.length === 0) return false;
  let rest = normalized.text;
  for (const name of names) rest = rest.split(name).join(' ');
  return !/\p{L}/u.test(rest);
}
