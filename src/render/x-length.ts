/**
 * X's weighted length (twitter-text config v3, the rules X counts a post by): code points U+0000–U+10FF,
 * U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every other code point 2; an emoji, however many
 * code points it is made of, weighs 2; a URL weighs 23 whatever its length. Text is NFC-normalised first.
 * Devanagari (U+0900–U+097F) weighs 1, so a Marathi reply has the full 280.
 */
export const X_MAX_WEIGHTED = 280;
const URL_WEIGHT = 23;
const EMOJI_WEIGHT = 2;
const LIGHT: readonly [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const URL = /https?:\/\/\S+/giu;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function codePointWeight(cp: number): number {
  return LIGHT.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
}

function plainWeight(text: string): number {
  let weight = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (EMOJI.test(segment)) weight += EMOJI_WEIGHT;
    else for (const ch of segment) weight += codePointWeight(ch.codePointAt(0)!);
  }
  return weight;
}

export function xWeightedLength(text: string): number {
  const nfc = text.normalize('NFC');
  let weight = 0;
  let last = 0;
  for (const m of nfc.matchAll(URL)) {
    weight += plainWeight(nfc.slice(last, m.index)) + URL_WEIGHT;
    last = m.index + m[0].length;
  }
  return weight + plainWeight(nfc.slice(last));
}

/** the longest start of `text` (whole graphemes, then '…') that weighs at most `max` */
export function cutToXWeight(text: string, max: number = X_MAX_WEIGHTED): string {
  const nfc = text.normalize('NFC');
  if (xWeightedLength(nfc) <= max) return nfc;
  let out = '';
  for (const { segment } of graphemes.segment(nfc)) {
    if (xWeightedLength(out + segment + ELLIPSIS) > max) break; // '…' (U+2026) itself weighs 2
    out += segment;
  }
  return out.trimEnd() + ELLIPSIS;
}
