import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';

const PHOTO = fold('फोटो फ़ोटो छायाचित्र चित्र फोटू photo photos foto pic pics picture image images snap');
// with the spoken forms: नाहीये / nahiye ("there isn't"), नाहीय, नईये
const NONE = fold('नाही नहीं नही नको ना नाहीये नाहिये नाहीय नईये no not nahi nahin nai nako nahiye nahiy none dont');
const NO_PHOTO = [/\bno (?:photo|pic|picture|image)s?\b/iu, /\b(?:don'?t|do not|cannot|can'?t) have (?:a )?(?:photo|pic|camera)\b/iu, /(?:कॅमेरा|camera) (?:नाही|नहीं|nahi|nai)/iu];

/** "नाही, फोटो नाही", "photo nahi ahe", "no photo", "फोटो नहीं है": the citizen has no photo to send */
export function declinesPhoto(text: string): boolean {
  if (NO_PHOTO.some((p) => p.test(text))) return true;
  const keys = matchTokens(text).map((t) => t.key);
  return keys.some((k, i) => PHOTO.has(k) && (NONE.has(keys[i + 1] ?? '') || NONE.has(keys[i + 2] ?? '') || NONE.has(keys[i - 1] ?? '')));
}
