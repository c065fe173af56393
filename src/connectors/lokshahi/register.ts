import { open, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { numericForm } from '../../normalizer/digits.ts';
import { LokshahiApplication, pathOf } from './application.ts';
import { matchHeaders, type ColumnMap, type Field } from './columns.ts';

export interface RegisterRow {
  /** the row number a person sees in the spreadsheet (the header is row 1 unless title rows sit above it) */
  row: number;
  application?: LokshahiApplication;
  /** why the row was rejected, naming the field, its column and the value */
  error?: string;
}

export interface RegisterOptions {
  columns: ColumnMap;
  /** xlsx: the sheet to read (its tab name); default the first */
  sheet?: string;
}

/** The file as a whole cannot be read (kind, sheet, headers, CSV syntax): nothing of it was taken. */
export class RegisterError extends Error {
  override readonly name = 'RegisterError';
}

const KINDS = ['.csv', '.xlsx'];
// an office register often has a title row or two ("लोकशाही दिन नोंदवही - मार्च 2026") above the header
const HEADER_SEARCH_ROWS = 10;
// an unclosed quote would otherwise swallow the rest of the file into one cell
const MOST_CSV_RECORD_CHARS = 1_000_000;

/**
 * Reads a Lokshahi Din register (.csv or .xlsx, Marathi or English headers) one row at a time, without holding
 * the file in memory. A bad row is yielded with its error and reading goes on; empty rows are skipped. Throws
 * RegisterError, before any row, when the file cannot be read as a register at all.
 */
export async function* readRegister(path: string, opts: RegisterOptions): AsyncGenerator<RegisterRow> {
  let header: { columns: Map<string, number>; names: string[] } | undefined;
  // of the rows tried as the header, the one closest to it: its refusal is the one shown
  let nearest: { missing: number; error: string } | undefined;
  let looked = 0;
  for await (const { row, cells } of rawRows(path, opts.sheet)) {
    if (header) {
      const read = rowOf(cells, header.columns, header.names);
      if (read) yield { row, ...read };
      continue;
    }
    const names = cells.map(headerText);
    if (names.every((n) => n === '')) continue;
    // a CSV saved in a code page (Excel's plain "CSV") or as UTF-16: its header is garbled before anything else
    if (names.some((n) => n.includes('\uFFFD')))
      throw new RegisterError(`${basename(path)} is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"`);
    const match = matchHeaders(names, opts.columns);
    if (match.error) {
      if (!nearest || match.missing.length < nearest.missing) nearest = { missing: match.missing.length, error: match.error };
      if (++looked >= HEADER_SEARCH_ROWS) break;
      continue;
    }
    header = { columns: match.columns, names };
  }
  if (!header) throw new RegisterError(`${basename(path)}: ${nearest?.error ?? 'the register is empty: no header row'}`);
}

/**
 * The number of rows below the first, for a progress bar's total: CSV records are counted (a fast pass with no
 * checking), an xlsx sheet's is read from its <dimension> element. An upper bound (empty rows count); undefined
 * when the sheet does not say.
 */
export async function countRows(path: string, opts: { sheet?: string } = {}): Promise<number | undefined> {
  if (kindOf(path) === '.csv') {
    let n = 0;
    for await (const _ of csvRecords(path)) n++;
    return Math.max(0, n - 1);
  }
  return xlsxDimensionRows(path, opts.sheet);
}

// ---------------------------------------------------------------------------------------------------------------
// Files → raw rows

interface RawRow {
  row: number;
  cells: unknown[];
}

function kindOf(path: string): string {
  const ext = extname(path).toLowerCase();
  if (KINDS.includes(ext)) return ext;
  const old = ext === '.xls' ? ' (an old Excel 97-2003 workbook: open it in Excel and save it as "Excel Workbook (.xlsx)")' : '';
  throw new RegisterError(`${basename(path)}: cannot read a "${ext || 'no extension'}" file${old}; registers are read as ${KINDS.join(' or ')}`);
}

function rawRows(path: string, sheet: string | undefined): AsyncGenerator<RawRow> {
  return kindOf(path) === '.csv' ? csvRows(path) : xlsxRows(path, sheet);
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new RegisterError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be opened (${code ?? String(err)})`);
  }
}

/** CSV: UTF-8, a BOM tolerated, comma-separated; a record is a row (a quoted cell may span lines, as in Excel). */
async function* csvRecords(path: string): AsyncGenerator<string[]> {
  const handle = await openFile(path);
  const input = handle.createReadStream();
  const parser = parseCsv({ bom: true, encoding: 'utf8', relax_column_count: true, relax_quotes: true, max_record_size: MOST_CSV_RECORD_CHARS });
  // errors of either side end the iteration below with that error
  pipeline(input, parser, () => undefined);
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      records++;
      yield record;
    }
  } catch (err) {
    throw new RegisterError(`${basename(path)}: not readable as CSV after row ${records}: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
}

async function* csvRows(path: string): AsyncGenerator<RawRow> {
  let row = 0;
  for await (const cells of csvRecords(path)) yield { row: ++row, cells };
}

// What exceljs's streaming reader has but does not declare.
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name?: string;
  /** the sheet XML's chunks, before the reader parses them */
  iterator?: AsyncIterable<Buffer | string>;
}
interface BookReader extends AsyncIterable<SheetReader> {
  model?: { sheets?: { name?: string }[] };
  _parseSharedStrings?: (entry: Readable) => AsyncGenerator<unknown>;
  _parseWorksheet?: (chunks: AsyncIterable<Buffer | string>, sheetNo: string) => Generator<unknown>;
}

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk of XML on its own, so a character split between two
 * chunks becomes U+FFFD (exceljs issues #2084, #2316): in Devanagari, three bytes a character, that is a
 * character every 16 KB or so. Its parser takes text as well as bytes, so it is handed text decoded across chunk
 * boundaries instead: the shared strings (where text cells live) and every sheet (inline strings, sheet names).
 */
function decodeAcrossChunks(reader: BookReader): void {
  const sharedStrings = reader._parseSharedStrings;
  const worksheet = reader._parseWorksheet;
  if (typeof sharedStrings === 'function')
    reader._parseSharedStrings = (entry) => {
      entry.setEncoding('utf8');
      return sharedStrings.call(reader, entry);
    };
  if (typeof worksheet === 'function') reader._parseWorksheet = (chunks, sheetNo) => worksheet.call(reader, utf8(chunks), sheetNo);
}

async function* utf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * The sheets of an xlsx, through exceljs's streaming reader: rows are parsed as the zip is inflated, never the
 * whole sheet at once. Styles are cached so date cells come as dates; shared strings are cached (they must be).
 */
async function* xlsxSheet(path: string, sheet: string | undefined): AsyncGenerator<SheetReader> {
  const handle = await openFile(path);
  const input = handle.createReadStream();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as BookReader;
  decodeAcrossChunks(reader);
  const seen: string[] = [];
  try {
    for await (const ws of reader) {
      const name = ws.name ?? '';
      // zip order need not be tab order: the first tab is the workbook's first sheet
      const wanted = sheet ?? reader.model?.sheets?.[0]?.name;
      if (wanted !== undefined && name.trim().toLowerCase() !== wanted.trim().toLowerCase()) {
        seen.push(name);
        continue;
      }
      yield ws;
      return;
    }
  } catch (err) {
    if (err instanceof RegisterError) throw err;
    throw new RegisterError(`${basename(path)}: not readable as an .xlsx workbook (${(err as Error).message})`);
  } finally {
    input.destroy();
  }
  throw new RegisterError(
    sheet === undefined
      ? `${basename(path)}: the workbook has no sheet`
      : `${basename(path)}: no sheet named "${sheet}"; the sheets are ${seen.map((s) => `"${s}"`).join(', ') || 'none'}`,
  );
}

async function* xlsxRows(path: string, sheet: string | undefined): AsyncGenerator<RawRow> {
  for await (const ws of xlsxSheet(path, sheet))
    for await (const r of ws) {
      // row.values is 1-based and sparse: column A is [1]
      const values = r.values as unknown[];
      yield { row: r.number, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => values[i + 1]) };
    }
}

const DIMENSION = /<(?:\w+:)?dimension\s+ref="\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?(\d+))?"/;
const SHEET_DATA = /<(?:\w+:)?sheetData[\s>/]/;

/** The last row the sheet's <dimension ref="A1:M10001"> names, minus the header; it precedes <sheetData>. */
async function xlsxDimensionRows(path: string, sheet: string | undefined): Promise<number | undefined> {
  for await (const ws of xlsxSheet(path, sheet)) {
    if (!ws.iterator || typeof ws.iterator[Symbol.asyncIterator] !== 'function') return undefined;
    let head = '';
    for await (const chunk of ws.iterator) {
      head += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const m = DIMENSION.exec(head);
      if (m) return m[1] === undefined ? 0 : Math.max(0, Number(m[1]) - 1);
      if (SHEET_DATA.test(head) || head.length > 1 << 16) return undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Cells → field values

/** A cell's value with exceljs's wrappers taken off: rich text, hyperlink and formula cells become their text. */
type Plain = string | number | boolean | Date | undefined;

class CellProblem extends Error {}

function plain(v: unknown): Plain {
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

function plainText(v: unknown): string {
  try {
    return asText(plain(v));
  } catch {
    return '#error';
  }
}
const headerText = (v: unknown): string => plainText(v).trim();

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

const short = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

const CONVERT: Record<Field, (v: Plain) => unknown> = {
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

/** One data row → an application or the reasons it is not one; undefined for an empty row. */
function rowOf(cells: unknown[], columns: Map<string, number>, headers: string[]): Omit<RegisterRow, 'row'> | undefined {
  const raw = new Map<string, string>();
  for (const [field, i] of columns) raw.set(field, plainText(cells[i]));
  // only the application's columns count: a serial number pre-filled on a blank line does not make a row
  if ([...raw.values()].every((t) => t === '')) return undefined;

  const where = (field: string): string => {
    const i = columns.get(field);
    const h = i === undefined ? undefined : headers[i];
    return h ? ` (column "${h}")` : '';
  };
  const problems: string[] = [];
  const app: Record<string, unknown> = {};
  const applicant: Record<string, unknown> = {};
  for (const [field, i] of columns) {
    const convert = CONVERT[field as Field];
    if (!convert) continue;
    let value: unknown;
    try {
      const v = plain(cells[i]);
      if (typeof v === 'string' && v.includes('\uFFFD')) throw new CellProblem('has characters that could not be decoded (�): a CSV must be saved as "CSV UTF-8"');
      value = convert(v);
    } catch (err) {
      if (!(err instanceof CellProblem)) throw err;
      problems.push(`${field}${where(field)}: ${err.message}`);
      continue;
    }
    if (value === undefined) continue;
    if (field.startsWith('applicant.')) applicant[field.slice('applicant.'.length)] = value;
    else app[field] = value;
  }
  app.applicant = applicant;

  const parsed = LokshahiApplication.safeParse(app);
  if (parsed.success && problems.length === 0) return { application: parsed.data };
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = pathOf(issue.path);
      // a field already reported from its cell is not reported again
      if (problems.some((p) => p.startsWith(`${field} `) || p.startsWith(`${field}:`))) continue;
      const value = raw.get(field);
      problems.push(`${issue.message}${where(field)}${value ? `: "${short(value)}"` : ''}`);
    }
  return { error: problems.join('; ') };
}
