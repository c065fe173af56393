// Zero-width and every bidi control (Unicode's Bidi_Control property: the marks, embeddings, overrides and
// isolates, U+061C included), the soft hyphen, and C0/C1 control characters other than tab and line breaks:
// invisible, never meaningful in a complaint, and they break matching and deduplication.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\p{Bidi_Control}\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u180E\u200B\u2060-\u2064\uFEFF]/gu;

// ZWNJ/ZWJ change how Devanagari conjuncts render (क्‌ष vs क्ष, the Marathi eyelash र्‍य), so they stay between
// two Devanagari characters; ZWJ also glues emoji sequences (👨‍👩‍👧, 🏳️‍🌈, 👩🏽‍💻). Anywhere else they are noise.
// The group matches a joiner that stays, the bare alternative after it one that goes; the look-behinds come after
// the joiner so that they are only tried where there is one.
const JOINER = /[\u200C\u200D]/;
const JOINERS =
  /([\u200C\u200D](?<=\p{Script=Devanagari}.)(?=\p{Script=Devanagari})|\u200D(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F].)(?=\p{Extended_Pictographic}))|[\u200C\u200D]/gu;

// A surrogate half without its partner cannot be stored or sent as UTF-8; it becomes U+FFFD. In a `u` regex a
// surrogate range only matches unpaired halves, since a pair is read as one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;
const ANY_LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;
const LINE_BREAK = /\r\n?|[\v\f\u0085\u2028\u2029]/g;
// only runs that are not already one plain space: replacing every single space would copy the string for nothing
const UNFOLDED_SPACE = /[^\S\n ][^\S\n]*| [^\S\n]+/g;
const SPACE_AROUND_NEWLINE = / ?\n ?/g;
const BLANK_LINES = /\n{3,}/g;

const keepOrDrop = (_joiner: string, kept: string | undefined): string => kept ?? '';

function cleanOnce(text: string): string {
  let visible = text.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE, '');
  if (JOINER.test(visible)) visible = visible.replace(JOINERS, keepOrDrop);
  // NFC after the removals: dropping a control can bring a base letter and its combining mark together
  const composed = visible.normalize('NFC');
  if (!ANY_LINE_BREAK.test(composed)) return composed.replace(UNFOLDED_SPACE, ' ').trim();
  return composed
    .replace(LINE_BREAK, '\n')
    .replace(UNFOLDED_SPACE, ' ')
    .replace(SPACE_AROUND_NEWLINE, '\n')
    .replace(BLANK_LINES, '\n\n')
    .trim();
}

/**
 * The cleaned text every later step reads: invisible controls and stray joiners removed, Unicode NFC, spaces and
 * tabs (and no-break spaces) folded to one space, lines trimmed, at most one blank line between paragraphs.
 * Emoji are kept. The citizen's own text is stored elsewhere exactly as sent.
 * Idempotent: cleanText(cleanText(x)) === cleanText(x) for any string.
 */
export function cleanText(text: string): string {
  let current = cleanOnce(text);
  if (!JOINER.test(current)) return current;
  // Dropping a joiner can let NFC reorder combining marks next to a kept one, which may then no longer sit between
  // Devanagari characters; repeating until nothing changes keeps the function idempotent. Every round that changes
  // the text removes a character, so this ends (in practice after one extra round).
  for (;;) {
    const next = cleanOnce(current);
    if (next === current) return current;
    current = next;
  }
}
