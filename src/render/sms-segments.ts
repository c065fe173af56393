/**
 * SMS length arithmetic (3GPP TS 23.038 / 23.040). Pure.
 *
 * A message is GSM-7 only if every character is in the GSM default alphabet or its extension table; one other
 * character (any Devanagari letter, an emoji, a curly quote, '…') makes the whole message UCS-2.
 *   GSM-7: 160 septets in one SMS, 153 per part when concatenated; extension characters take 2 septets and
 *          are never split across parts.
 *   UCS-2: 70 UTF-16 code units in one SMS, 67 per part; an emoji is a surrogate pair (2 units), never split.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** SMS parts the text takes (an empty text still goes out as one SMS) */
  segments: number;
  /** septets for GSM-7, UTF-16 code units for UCS-2 */
  units: number;
}

// The GSM 03.38 default alphabet (without ESC, which only introduces the extension table).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// The extension table: sent as ESC + char, so each costs 2 septets.
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const GSM_SINGLE = 160;
const GSM_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  return true;
}

export function detectEncoding(text: string): SmsEncoding {
  return isGsm7(text) ? 'GSM-7' : 'UCS-2';
}

/** How many SMS parts `text` takes, and in which encoding. */
export function segmentInfo(text: string): SegmentInfo {
  const gsm = isGsm7(text);
  // cost of each indivisible unit: a GSM character (1 or 2 septets) or a UCS-2 code point (1 or 2 code units)
  const costs: number[] = [];
  for (const ch of text) costs.push(gsm ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  const units = costs.reduce((a, b) => a + b, 0);
  const single = gsm ? GSM_SINGLE : UCS2_SINGLE;
  const part = gsm ? GSM_PART : UCS2_PART;
  if (units <= single) return { encoding: gsm ? 'GSM-7' : 'UCS-2', segments: 1, units };
  // Concatenated: fill parts greedily; a unit that does not fit whole starts the next part.
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', segments, units };
}

export const segmentCount = (text: string): number => segmentInfo(text).segments;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Sentence ends: Latin punctuation, the Devanagari danda and double danda, and line breaks.
const SENTENCE_END = /[.!?।॥]/;

/**
 * Shortens `text` to fit in `budget` SMS parts. Cuts at the last sentence end if that keeps at least half of what
 * fits, else at the last space, else at a grapheme boundary, and marks the cut with an ellipsis. Never splits a
 * grapheme cluster (a Devanagari conjunct such as क्ष, an emoji with its skin tone or flag pair).
 *
 * The ellipsis is '…' for a UCS-2 text but '...' for a GSM-7 one: '…' is not in the GSM alphabet and would turn
 * a 3×153-character English reply into a 3×67-character UCS-2 one.
 */
export function shapeToSegments(text: string, budget: number): string {
  if (!Number.isInteger(budget) || budget < 1) throw new RangeError(`segment budget must be a whole number ≥ 1, got ${budget}`);
  if (segmentCount(text) <= budget) return text;

  // every offset where a cut is allowed, in order (grapheme boundaries after the first grapheme)
  const cuts: number[] = [];
  for (const g of graphemes.segment(text)) if (g.index > 0) cuts.push(g.index);
  const fits = (end: number): boolean => segmentCount(withEllipsis(text.slice(0, end))) <= budget;

  // the longest prefix that fits; the segment count only grows with the prefix, so binary search is sound
  let lo = 0;
  let hi = cuts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fits(cuts[mid]!)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return withEllipsis('');
  const max = cuts[best]!;

  // Preferred cuts, best first; each must keep at least half of what fits and, with its marker, still fit.
  const fitting = (s: string): string | undefined => (segmentCount(s) <= budget ? s : undefined);
  const sentence = lastSentenceEnd(text, max);
  const space = lastSpace(text, max);
  return (
    (sentence !== undefined && sentence >= max / 2 ? fitting(withEllipsis(text.slice(0, sentence), ' ')) : undefined) ??
    (space !== undefined && space >= max / 2 ? fitting(withEllipsis(text.slice(0, space))) : undefined) ??
    withEllipsis(text.slice(0, max))
  );
}

/** After a whole sentence the marker is set off by a space ("…ward office. …"), after a word it is attached. */
function withEllipsis(prefix: string, separator = ''): string {
  const kept = prefix.trimEnd();
  return kept + separator + (isGsm7(kept) ? '...' : '…');
}

/** Offset just after the last sentence end (a mark followed by whitespace, or a line break) at or before `max`. */
function lastSentenceEnd(text: string, max: number): number | undefined {
  for (let i = max; i > 0; i--) {
    const ch = text[i]!;
    if (ch === '\n') return i;
    // "3.5" or "www.pmc.gov.in" are not sentence ends: the mark must be followed by whitespace
    if (i < max && SENTENCE_END.test(ch) && /\s/.test(text[i + 1] ?? '')) return i + 1;
  }
  return undefined;
}

function lastSpace(text: string, max: number): number | undefined {
  for (let i = max; i > 0; i--) if (/\s/.test(text[i]!)) return i;
  return undefined;
}
