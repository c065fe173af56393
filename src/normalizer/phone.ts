// The `max` metadata: the default (`min`) set only checks lengths, so it accepts any 12-digit number (an Aadhaar
// number, an account number) as Indian, and it cannot tell a toll-free number from a citizen's own.
import { findPhoneNumbersInText, parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import { numericForm } from './digits.ts';

export interface PhoneMatch {
  /** +919822012345 */
  e164: string;
  type: NumberType;
  /** offsets into numericForm(text) */
  start: number;
  end: number;
}

// Runs of 7+ digits with single spaces, dashes or brackets between groups, maybe with a leading + : the only
// places a phone number can be. Digits glued to Latin letters are identifiers (PMC1234567, MH12AB1234), not
// phones. The separator and digit classes are disjoint, so the match is linear.
const CANDIDATE = /(?<![0-9A-Za-z_+])(?:\+ ?|\(\+?)?[0-9](?:[ \t\-()]{0,3}[0-9]){6,}/g;
const NON_DIGITS = /\D/g;
// written as 091 98220 12345: "0" then the country code, which the library does not read as international
const ZERO_COUNTRY_CODE = /^091[6-9]\d{9}$/;
const SEPARATOR = /[ \t\-()]/;
// E.164 allows 15 digits; one more character for the +
const LONGEST_NUMBER = 16;

// Helplines and toll-free numbers are the corporation's, never the citizen's contact number.
const NOT_A_CITIZEN_NUMBER = new Set<NumberType>(['TOLL_FREE', 'SHARED_COST', 'PREMIUM_RATE']);

interface Parsed {
  e164: string;
  type: NumberType;
}

// libphonenumber-js takes 10–20 µs per parse; the same numbers recur (a citizen's follow-ups, a ward office),
// so recent answers are kept. A Map iterates in insertion order, so its first key is the oldest.
const CACHE_SIZE = 4096;
const parsedCache = new Map<string, Parsed | null>();

function parseOne(digits: string): Parsed | null {
  const cached = parsedCache.get(digits);
  if (cached !== undefined) return cached;
  const phone = parsePhoneNumberFromString(digits, 'IN');
  const parsed = phone?.isValid() ? { e164: phone.number, type: phone.getType() } : null;
  if (parsedCache.size >= CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value as string);
  parsedCache.set(digits, parsed);
  return parsed;
}

function candidateDigits(candidate: string): string {
  const digits = candidate.replace(NON_DIGITS, '');
  if (candidate.includes('+')) return `+${digits}`;
  return ZERO_COUNTRY_CODE.test(digits) ? `+${digits.slice(1)}` : digits;
}

/**
 * Every valid phone number in the text with its place, Indian forms read with default country IN: +91 98220 12345,
 * 091-9822012345, 09822012345, 98220-12345, 020-2550 1234, and the same in Devanagari or other Indic digits.
 */
export function findPhoneNumbers(text: string): PhoneMatch[] {
  const numeric = numericForm(text);
  const found: PhoneMatch[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(numeric); m; m = CANDIDATE.exec(numeric)) {
    const candidate = m[0];
    const digits = candidateDigits(candidate);
    const parsed = digits.length <= LONGEST_NUMBER ? parseOne(digits) : null;
    if (parsed) {
      found.push({ e164: parsed.e164, type: parsed.type, start: m.index, end: m.index + candidate.length });
      continue;
    }
    // several numbers in one run ("411038 9822012345", "9822012345 9822054321"): the library splits them
    if (!SEPARATOR.test(candidate)) continue;
    for (const hit of findPhoneNumbersInText(candidate, 'IN')) {
      const type = hit.number.getType();
      if (!type) continue;
      found.push({ e164: hit.number.number, type, start: m.index + hit.startsAt, end: m.index + hit.endsAt });
    }
  }
  return found;
}

/** The citizen's phone numbers in E.164, each once, in order; toll-free and shared-cost numbers left out. */
export function extractPhones(text: string): string[] {
  const phones: string[] = [];
  for (const { e164, type } of findPhoneNumbers(text)) {
    if (!NOT_A_CITIZEN_NUMBER.has(type) && !phones.includes(e164)) phones.push(e164);
  }
  return phones;
}
