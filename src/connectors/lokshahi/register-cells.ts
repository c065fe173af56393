import { numericForm } from '../../normalizer/digits.ts';
import type { Field } from './columns.ts';

// Cells → field values

/** A cell's value with exceljs's wrappers taken off: rich text, hyperlink and formula cells become their text. */
type Plain = string | number | boolean | Date | undefined;

export class CellProblem extends Error {}

export function plain(v: unknown): Plain {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v !== 'object') return String(v);
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) return o.richText.map((r: unknown) => String((r as { text?: unknown }).text ?? '')).join('');
  if ('error' in o) throw new CellProblem(`the cell holds the Excel error ${String(o.error)}`);
  if ('formula' in o || 'sharedFormula' in o) return plain(o.result);
  if ('hyperlink' in o) return plain(o.text) ?? (typeof o.hyperlink === 'string' ? o.hyperlink : undefined);
  if ('text' in o) return plain(o.text);
  return undefined;
}

export function plainText(v: unknown): string {
  try {
    return asText(plain(v));
  } catch {
    return '#error';
  }
}
export const headerText = (v: unknown): string => plainText(v).trim();

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

function asText(v: Plain): string {
  if (v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : isoDay(v);
  // an integer cell (a token, a mobile) as its digits, never 9.87e9
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  return String(v).trim();
}

const day = (y: number, m: number, d: number): string | undefined => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? isoDay(t) : undefined;
};

// Indian registers write the day first: 05/03/2026 is 5 March. A time after the date (from some exports) is dropped.
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?$/i;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
// Excel day serials of 1 Jan 1990 and 31 Dec 2100: a number outside them in a date column is not a date
const SERIAL_FROM = 32874;
const SERIAL_TO = 73415;

function asDate(v: Plain): string | undefined {
  if (v === undefined) return undefined;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new CellProblem('the cell holds an invalid date');
    return isoDay(v);
  }
  // a date cell read before the workbook's styles (some writers put styles.xml after the sheets)
  if (typeof v === 'number') {
    if (v >= SERIAL_FROM && v <= SERIAL_TO) return isoDay(new Date(Math.round((v - 25569) * 86_400_000)));
    throw new CellProblem(`${v} is not a date; write it as dd/mm/yyyy, e.g. 05/03/2026`);
  }
  const t = numericForm(asText(v));
  if (t === '') return undefined;
  const dmy = DMY.exec(t);
  const ymd = dmy ? undefined : YMD.exec(t);
  const iso = dmy ? day(+dmy[3]!, +dmy[2]!, +dmy[1]!) : ymd ? day(+ymd[1]!, +ymd[2]!, +ymd[3]!) : undefined;
  if (!iso) throw new CellProblem(`"${short(t)}" is not a date; write it as dd/mm/yyyy, e.g. 05/03/2026`);
  return iso;
}

function asDigits(v: Plain): string | undefined {
  const t = numericForm(asText(v));
  // Excel wrote the number in the exponent form it displayed: the last digits are gone
  if (/^\d(?:\.\d+)?e\+?\d+$/i.test(t)) throw new CellProblem(`"${t}" has lost its digits (Excel wrote it as an exponent): format the column as Text and export again`);
  return t || undefined;
}

const YES = new Set(['होय', 'हो', 'हाँ', 'हां', 'yes', 'y', 'true', '1', '✓', '✔']);
const NO = new Set(['नाही', 'नाहीं', 'नहीं', 'नही', 'no', 'n', 'false', '0', '-', '✗']);

function asYesNo(v: Plain): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const t = numericForm(asText(v)).toLowerCase().replace(/[.!]+$/, '');
  if (t === '') return undefined;
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  throw new CellProblem(`"${short(t)}" is not yes or no (होय / नाही)`);
}

/** "फोटो.jpg; https://…/7-12.pdf" → one attachment each; a link is a url, anything else a name. */
function asList(v: Plain): { name?: string; url?: string }[] | undefined {
  const items = asText(v).split(/[;\n\r]+/).map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return undefined;
  return items.map((s) => (/^https?:\/\//i.test(s) ? { url: s } : { name: s }));
}

export const short = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

export const CONVERT: Record<Field, (v: Plain) => unknown> = {
  token: asDigits,
  applicationDate: asDate,
  hearingDate: asDate,
  'applicant.name': (v) => asText(v) || undefined,
  'applicant.address': (v) => asText(v) || undefined,
  'applicant.mobile': asDigits,
  'applicant.email': (v) => asText(v) || undefined,
  office: (v) => asText(v) || undefined,
  subject: (v) => asText(v) || undefined,
  description: (v) => asText(v) || undefined,
  earlierToken: asDigits,
  escalation: asYesNo,
  attachments: asList,
};
