// zero-width and bidi controls; ZWJ/ZWNJ are kept because Devanagari spelling uses them
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** Unicode NFC, invisible controls removed, whitespace folded. The citizen's own text is kept elsewhere as sent. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/[^\S\n]+/gu, ' ')
    .replace(/\s*\n\s*/gu, '\n')
    .trim();
}
