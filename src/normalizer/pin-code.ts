import { numericForm } from './digits.ts';
import { findPhoneNumbers } from './phone.ts';
import { findTicketNumbers } from './ticket-number.ts';

/**
 * - `pune`: 411xxx, the city's own series (PMC and Pimpri-Chinchwad).
 * - `pune-fringe`: 412xxx except 4128xx. Villages merged into PMC in 2017 and 2021 (Wagholi 412207, Manjari 412307,
 *   Phursungi 412308 …) kept their 412 PINs, but the series also covers rural Pune district, so a 412 PIN says
 *   "maybe ours" and the ward step decides. 4128xx is Satara district (Wai, Panchgani, Mahabaleshwar).
 * - `other`: any other Indian PIN.
 */
export type PinArea = 'pune' | 'pune-fringe' | 'other';

export interface PinCode {
  /** six ASCII digits */
  pin: string;
  area: PinArea;
}

export function pinArea(pin: string): PinArea {
  if (pin.startsWith('411')) return 'pune';
  if (pin.startsWith('412') && pin[3] !== '8') return 'pune-fringe';
  return 'other';
}

// Six digits, first 1–9, written whole (411038) or as 3 + 3 (411 038), standing alone: not inside a longer number
// (no digit next to it, even across one - . / , — that is a date, an amount or a phone), not glued to Latin letters
// (PMC411038 is a ticket), not an amount (₹ 150000, Rs.150000). What comes before is checked in code: a leading
// look-behind would be tried at every position of every message.
const PIN =
  /(?:(?<whole>[1-9][0-9]{5})(?![0-9]|[./,-][0-9])|(?<head>[1-9][0-9]{2}) (?<tail>[0-9]{3})(?![0-9]|[ ./,-][0-9]))/g;
const NOT_BEFORE_A_PIN = /(?:[A-Za-z0-9_]|[0-9][ ./,-]|(?:rs|inr|₹)\.? ?)$/i;
const SIX_DIGITS = /[0-9]{3} ?[0-9]{3}/;

/**
 * Indian PIN codes in the text ("411038", "411 038", "पिन ४११०३८"), each once, in order, with whether they are
 * Pune's. Six digits that belong to a phone number or a quoted ticket number are not PIN codes.
 */
export function extractPinCodes(text: string, ticketPrefix = 'PMC'): PinCode[] {
  const numeric = numericForm(text);
  if (!SIX_DIGITS.test(numeric)) return [];
  const pins: PinCode[] = [];
  let taken: { start: number; end: number }[] | undefined;
  PIN.lastIndex = 0;
  for (let m = PIN.exec(numeric); m; m = PIN.exec(numeric)) {
    if (NOT_BEFORE_A_PIN.test(numeric.slice(Math.max(0, m.index - 5), m.index))) {
      PIN.lastIndex = m.index + 1;
      continue;
    }
    const groups = m.groups as Record<string, string | undefined>;
    const pin = groups.whole ?? `${groups.head}${groups.tail}`;
    const start = m.index;
    const end = start + m[0].length;
    taken ??= [...findPhoneNumbers(numeric), ...findTicketNumbers(numeric, ticketPrefix)];
    if (taken.some((span) => span.start < end && start < span.end)) continue;
    if (!pins.some((known) => known.pin === pin)) pins.push({ pin, area: pinArea(pin) });
  }
  return pins;
}
