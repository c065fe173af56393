// Every Unicode decimal digit (\p{Nd}) — Devanagari ०-९, Gujarati, Bengali, Arabic-Indic, fullwidth … — sits in a
// run of ten code points from 0 to 9, so a digit's value is its distance from the start of its run, mod 10 (runs of
// several sets, like the mathematical digits, are whole tens). A plain loop over char codes with a per-code-point
// memo is several times faster than a \p{Nd} regex scan, and every message passes through here; the memo fills
// from the regex engine's own Unicode data as characters are first seen, so nothing is computed at start-up.
const UNKNOWN = -2;
const NOT_A_DIGIT = -1;
const MEMO_END = 0x20000; // every decimal digit in Unicode 17 is below U+20000
const digitMemo = new Int8Array(MEMO_END).fill(UNKNOWN);
const ONE_DIGIT = /^\p{Nd}$/u;
// Arabic-Indic zero, the first decimal digit after ASCII 9: nothing below it needs a look-up
const FIRST_NON_ASCII_DIGIT = 0x660;

function digitValue(cp: number): number {
  const memo = cp < MEMO_END ? (digitMemo[cp] as number) : UNKNOWN;
  if (memo !== UNKNOWN) return memo;
  let value = NOT_A_DIGIT;
  if (ONE_DIGIT.test(String.fromCodePoint(cp))) {
    let start = cp;
    while (ONE_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    value = (cp - start) % 10;
  }
  if (cp < MEMO_END) digitMemo[cp] = value;
  return value;
}

/**
 * The text with every decimal digit in ASCII and nothing else changed: the form numbers are read from (phone,
 * PIN, ticket, rating). The citizen's text is kept as written; this is a derived form. Digits in the Basic
 * Multilingual Plane (all Indic scripts) keep their UTF-16 offsets; the rare astral digits (mathematical, …) shrink
 * from two code units to one.
 */
export function numericForm(text: string): string {
  // the extractors each ask for the same message's numeric form in turn; the last answer is kept
  if (text === lastText) return lastNumeric;
  lastText = text;
  lastNumeric = convert(text);
  return lastNumeric;
}

let lastText = '';
let lastNumeric = '';

function convert(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < FIRST_NON_ASCII_DIGIT) continue;
    let cp = code;
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const memo = cp < MEMO_END ? (digitMemo[cp] as number) : UNKNOWN;
    const value = memo === UNKNOWN ? digitValue(cp) : memo;
    if (value >= 0) {
      out += text.slice(copiedUpTo, i) + String(value);
      copiedUpTo = i + width;
    }
    i += width - 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
