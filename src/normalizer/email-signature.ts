// Signature stripping for plain-text email bodies: the trailing sign-off, not the complaint.
//
// Conservative by design: only a block at the very end is removed, it is small, and the message never becomes
// empty. A citizen's signature often holds their phone number and address, so the caller keeps `signature` and
// should still read contact details from it.

export interface SignatureStripResult {
  body: string;
  /** the removed trailing block(s), in their original order; undefined when nothing was removed */
  signature: string | undefined;
}

const BLANK_LINE = /^\s*$/;

// RFC 3676 "-- " delimiter; "--" too, because many clients (and whitespace trimming on the way) drop the space
const DELIMITER = /^--[ \t]?$/;
// how many non-blank lines a delimited signature may have; more than that and "--" was a separator in the text
const MAX_DELIMITED_LINES = 10;

// the "sent from" lines mobile clients append, in English, Marathi and Hindi
const MOBILE_TRAILER = new RegExp(
  '^[ \\t]*(?:' +
    [
      'sent from my \\S.{0,60}',
      'sent from (?:yahoo mail|mail for windows|outlook|gmail|samsung|android|iphone|ipad)\\b.{0,60}',
      'sent (?:via|using) (?:the )?(?:samsung|android|iphone|ipad|yahoo|gmail|outlook)\\b.{0,60}',
      'sent with (?:proton ?mail|protonmail)\\b.{0,60}',
      'get outlook for (?:ios|android)\\b.{0,80}',
      'माझ्या .{1,40}(?:वरून|मधून) पाठवले(?:ले)?',
      'मेरे .{1,40} से भेजा गया',
    ].join('|') +
    ')[.।!]?[ \\t]*$',
  'iu',
);

// closing words that open a sign-off block; the whole line must be the closing (optionally ", Name")
const CLOSING_WORDS = [
  // English
  '(?:(?:best|kind|warm|warmest|with)[ \\t]+)?regards',
  'thanks[ \\t]*(?:&|and|n)[ \\t]*regards',
  'thanks(?: a lot| again| in advance)?',
  'thank you(?: very much| in advance)?',
  'many thanks',
  'sincerely',
  'yours[ \\t]+(?:sincerely|faithfully|truly)',
  'best(?: wishes)?',
  'cheers',
  'regds',
  'rgds',
  // Marathi
  'धन्यवाद',
  'आपला नम्र',
  'आपली नम्र',
  'आपला विश्वासू',
  'आपली विश्वासू',
  'आपला कृपाभिलाषी',
  'कळावे(?:,? लोभ असावा)?',
  'सस्नेह',
  // Hindi
  'भवदीय',
  'भवदीया',
  'सधन्यवाद',
  'धन्यवाद सहित',
  'आपका(?: विश्वासी| आभारी)?',
  'आपकी(?: विश्वासी| आभारी)?',
  'सादर',
  // romanised Marathi / Hindi
  'dhanyavaa?d',
  'dhanyawaa?d',
  'aa?pla (?:namra|vishwasu)',
  'bhavdiya',
  'shukriya',
];
// tested on a trimmed line: "Regards," / "Regards, Ramesh" / "धन्यवाद." — but not "Thanks for the quick reply"
const CLOSING = new RegExp(`^(?:${CLOSING_WORDS.join('|')})[.!।:-]*(?:[ \\t]*,[ \\t]*(?:[^\\n.?!।,:]{1,40}[.!]?)?)?$`, 'iu');
const MAX_CLOSING_LINE = 80;
// a sign-off block is the closing line and at most this many short lines after it
const MAX_LINES_AFTER_CLOSING = 4;
const MAX_SHORT_LINE = 60;

/**
 * Remove the trailing signature: an RFC 3676 "-- " block, a "Sent from my iPhone"-style line (en/mr/hi), or a
 * closing ("Regards,", "Thanks & Regards", "धन्यवाद,", "आपला नम्र,", "भवदीय,", …) followed by at most four short
 * lines. Repeats while the new end is again a signature ("Regards,\nName\n\nSent from my iPhone"), never removes
 * anything but the end, and never empties the message.
 */
export function stripSignature(text: string): SignatureStripResult {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lastNonBlank(lines, lines.length - 1);
  let cutAt = lines.length;
  // a handful of passes is enough: trailer, delimited block, closing block
  for (let pass = 0; pass < 4 && end >= 0; pass++) {
    const start = signatureStart(lines, end);
    // keep at least one line of text above the cut
    if (start < 0 || lastNonBlank(lines, start - 1) < 0) break;
    cutAt = start;
    end = lastNonBlank(lines, start - 1);
  }
  if (cutAt === lines.length) return { body: text.trim(), signature: undefined };
  return {
    body: lines.slice(0, cutAt).join('\n').trim(),
    signature: lines.slice(cutAt).join('\n').trim(),
  };
}

/** Where the signature ending at line `end` starts, or -1. */
function signatureStart(lines: readonly string[], end: number): number {
  if (MOBILE_TRAILER.test(lines[end] ?? '')) return end;

  let nonBlank = 0;
  for (let i = end; i >= 0 && nonBlank <= MAX_DELIMITED_LINES; i--) {
    const line = lines[i] ?? '';
    if (DELIMITER.test(line)) return i;
    if (!BLANK_LINE.test(line)) nonBlank++;
  }

  // the topmost closing line whose block below is short, so "Thank you.\nRegards,\nName" goes as one block
  let start = -1;
  nonBlank = 0;
  for (let i = end; i >= 0 && nonBlank <= MAX_LINES_AFTER_CLOSING; i--) {
    const line = lines[i] ?? '';
    if (BLANK_LINE.test(line)) continue;
    const trimmed = line.trim();
    if (trimmed.length <= MAX_CLOSING_LINE && CLOSING.test(trimmed)) start = i;
    else if (trimmed.length > MAX_SHORT_LINE) break;
    nonBlank++;
  }
  return start;
}

function lastNonBlank(lines: readonly string[], from: number): number {
  let i = from;
  while (i >= 0 && BLANK_LINE.test(lines[i] ?? '')) i--;
  return i;
}
