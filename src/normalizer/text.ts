// zero-width and bidi controls; ZWJ/ZWNJ are kept because Devanagari spelling uses them
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
const DEVANAGARI_DIGIT = /[०-९]/gu;

/** Unicode NFC, invisible controls removed, whitespace folded. The citizen's own text is kept elsewhere as sent. */
export function cleanText(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/[^\S\n]+/gu, ' ')
    .replace(/\s*\n\s*/gu, '\n')
    .trim();
}

/** Devanagari digits to ASCII, for reading numbers (ticket numbers, ratings, phone numbers). */
export function asciiDigits(text: string): string {
  return text.replace(DEVANAGARI_DIGIT, (d) => String(d.charCodeAt(0) - 0x0966));
}
