import { z } from 'zod';
import { numericForm } from './digits.ts';
import { findPhoneNumbers } from './phone.ts';

export interface TicketMatch {
  /** prefix + ASCII digits, e.g. PMC12345 */
  ticketNo: string;
  /** offsets into numericForm(text) */
  start: number;
  end: number;
}

// the same rule as `tickets.prefix` in the config schema: the prefix is part of every ticket number
const TicketPrefix = z.string().regex(/^[A-Z]{0,8}$/);

// Ticket numbers are the prefix then 5 or more digits (PMC10001 upwards); 12 is far beyond any real count and keeps
// account and Aadhaar-length numbers out.
const digits = (group: string): string => String.raw`(?<${group}>\d{5,12})(?!\d)`;
const SEP = String.raw`[\s.:#\-=]{0,4}`;
const END_OF_WORD = String.raw`(?![\p{L}\p{M}])`;

// What a citizen writes before the number, in Marathi, Hindi and English, in Devanagari and in Latin letters.
// Devanagari stems take any case ending (तक्रारीचा, तक्रारीची, शिकायतों).
const COMPLAINT_WORD = [
  'complaints?', 'complain', 'tickets?', 'dockets?', 'grievance', 'token', 'request', 'ref', 'reference',
  'takr?aa?r[\\p{L}]*', 'shikaa?y[ae]t', 'sthiti', 'sthithi', 'status',
  'तक्रार[\\p{L}\\p{M}]*', 'शिकायत[\\p{L}\\p{M}]*', 'कं?प्लेन्?ं?ट', 'कम्प्लेंट', 'तिकीट', 'टिकट', 'टिकिट', 'डॉकेट',
  'स्थिती', 'स्थिति', 'सद्यस्थिती', 'स्टेटस',
].join('|');
const NUMBER_WORD = [
  'no', 'nos', 'num', 'number', 'nbr', 'nr', 'id', 'kr', 'kra', 'kramaa?n?k', 'nambar', 'nomber', 'sankhya',
  'क्र', 'क्रं', 'क्रमांक', 'नंबर', 'नं', 'संख्या', 'सं',
].join('|');
// "… क्रमांक आहे 12345", "status of 12345"
const FILLER_WORD = ['is', 'was', 'of', 'hai', 'aa?he', 'आहे', 'है'].join('|');

// The English names of the letters as they are written in Devanagari ("PMC" is "पीएमसी", "पी.एम.सी.", "पी एम सी"), so
// the prefix a citizen spells in Marathi or Hindi is read too.
const LETTER_NAMES: Readonly<Record<string, string>> = {
  A: 'ए', B: 'बी', C: 'सी', D: 'डी', E: 'ई', F: 'एफ', G: 'जी', H: 'एच', I: 'आय', J: 'जे', K: 'के', L: 'एल', M: 'एम',
  N: 'एन', O: 'ओ', P: 'पी', Q: 'क्यू', R: 'आर', S: 'एस', T: 'टी', U: 'यू', V: 'व्ही', W: 'डब्ल्यू', X: 'एक्स', Y: 'वाय', Z: 'झेड',
};

/** the prefix as written: in Latin letters, or spelled letter by letter in Devanagari, with or without dots */
function prefixPattern(prefix: string): string {
  const spelled = [...prefix].map((letter) => LETTER_NAMES[letter]!).join(String.raw`[.\s]?`);
  return String.raw`(?:${prefix}|${spelled}\.?)`;
}

function ticketPattern(prefix: string): RegExp {
  const keyword =
    String.raw`(?:${COMPLAINT_WORD})${END_OF_WORD}` +
    String.raw`(?:${SEP}(?:${NUMBER_WORD})${END_OF_WORD})?(?:${SEP}(?:${FILLER_WORD})${END_OF_WORD})?${SEP}` +
    (prefix ? String.raw`(?:${prefixPattern(prefix)}[\s\-#:]{0,2})?` : '') +
    digits('keywordDigits');
  if (!prefix) return new RegExp(keyword, 'giu');
  // "PMC 12345", "pmc-12345", "#PMC12345", "पीएमसी १२३४५"
  const prefixed = String.raw`#?${prefixPattern(prefix)}[\s\-#:/]{0,3}${digits('prefixedDigits')}`;
  return new RegExp(`${prefixed}|${keyword}`, 'giu');
}

const patterns = new Map<string, RegExp>();

function patternFor(prefix: string): RegExp {
  let pattern = patterns.get(prefix);
  if (!pattern) {
    const checked = TicketPrefix.safeParse(prefix);
    if (!checked.success) {
      throw new Error(
        `ticket prefix ${JSON.stringify(prefix)} must be 0–8 capital letters A–Z: fix tickets.prefix in the config`,
      );
    }
    pattern = ticketPattern(prefix);
    patterns.set(prefix, pattern);
  }
  return pattern;
}

const FIVE_DIGITS = /\d{5}/;
// Checked in code rather than as a leading look-behind in the pattern: a look-behind at the start makes the regex
// engine test it at every position, which was most of the cost.
const WORD_CHAR_AT_END = /[\p{L}\p{M}\p{N}_]$/u;

/** the match starts a word: "PMC12345" but not "ABCPMC12345", "status" but not "xstatus" */
function startsWord(text: string, index: number): boolean {
  return index === 0 || !WORD_CHAR_AT_END.test(text.slice(Math.max(0, index - 2), index));
}

/**
 * Ticket numbers a citizen quotes, with their place: the prefix and digits ("PMC 12345", "pmc-12345", "#PMC12345"),
 * or a keyword and digits ("तक्रार क्र. १२३४५", "शिकायत नंबर १२३४५", "complaint no 12345", "ticket #12345",
 * "takrar kramank 12345", "status 12345"). A bare number is not a ticket number, and neither is a phone number
 * after a keyword ("complaint no 98220 12345").
 */
export function findTicketNumbers(text: string, prefix = 'PMC'): TicketMatch[] {
  const pattern = patternFor(prefix);
  const numeric = numericForm(text);
  if (!FIVE_DIGITS.test(numeric)) return [];
  const found: TicketMatch[] = [];
  let phones: { start: number; end: number }[] | undefined;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(numeric); m; m = pattern.exec(numeric)) {
    if (!startsWord(numeric, m.index)) {
      pattern.lastIndex = m.index + 1;
      continue;
    }
    const groups = m.groups as Record<string, string | undefined>;
    const digits = (groups.prefixedDigits ?? groups.keywordDigits) as string;
    const end = m.index + m[0].length;
    const start = end - digits.length;
    if (groups.keywordDigits !== undefined) {
      phones ??= findPhoneNumbers(numeric);
      if (phones.some((phone) => phone.start < end && start < phone.end)) continue;
    }
    found.push({ ticketNo: prefix + digits, start: m.index, end });
  }
  return found;
}

// A message that is nothing but a number of ticket length ("10004", "१०००४", "10004?"): what a citizen sends when
// asked for the number, or to ask about it. Not a PIN code (411xxx, 412xxx are Pune's: a place) or a phone number.
const ONLY_A_NUMBER = /^\W*(\d{5,8})\W*$/u;
const PUNE_PIN = /^41[12]\d{3}$/;

/** Normalised ticket numbers (prefix + ASCII digits) the text quotes, each once, in order. */
export function extractTicketNumbers(text: string, prefix = 'PMC'): string[] {
  const tickets: string[] = [];
  for (const { ticketNo } of findTicketNumbers(text, prefix)) {
    if (!tickets.includes(ticketNo)) tickets.push(ticketNo);
  }
  if (tickets.length === 0 && text.length <= 24) {
    const bare = ONLY_A_NUMBER.exec(numericForm(text))?.[1];
    if (bare && !PUNE_PIN.test(bare)) tickets.push(prefix + bare);
  }
  return tickets;
}
