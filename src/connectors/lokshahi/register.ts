import { basename } from 'node:path';
import { LokshahiApplication, pathOf } from './application.ts';
import { matchHeaders, type ColumnMap, type Field } from './columns.ts';
import { CellProblem, CONVERT, headerText, plain, plainText, short } from './register-cells.ts';
import { csvRecords, kindOf, rawRows, RegisterError, xlsxDimensionRows } from './register-files.ts';

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

export { RegisterError };

// an office register often has a title row or two ("लोकशाही दिन नोंदवही - मार्च 2026") above the header
const HEADER_SEARCH_ROWS = 10;

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
