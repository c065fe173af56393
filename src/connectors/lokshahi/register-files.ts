import { open, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pipeline } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { RegisterError } from './register-error.ts';
import { openXlsxSheet } from './xlsx-sheet.ts';

// Files → raw rows: a register's .csv or .xlsx read one row at a time, its cells as they are.

export { RegisterError };

const KINDS = ['.csv', '.xlsx'];
// an unclosed quote would otherwise swallow the rest of the file into one cell
const MOST_CSV_RECORD_CHARS = 1_000_000;

interface RawRow {
  row: number;
  cells: unknown[];
}

export function kindOf(path: string): string {
  const ext = extname(path).toLowerCase();
  if (KINDS.includes(ext)) return ext;
  const old = ext === '.xls' ? ' (an old Excel 97-2003 workbook: open it in Excel and save it as "Excel Workbook (.xlsx)")' : '';
  throw new RegisterError(`${basename(path)}: cannot read a "${ext || 'no extension'}" file${old}; registers are read as ${KINDS.join(' or ')}`);
}

export function rawRows(path: string, sheet: string | undefined): AsyncGenerator<RawRow> {
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
export async function* csvRecords(path: string): AsyncGenerator<string[]> {
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

async function* xlsxRows(path: string, sheet: string | undefined): AsyncGenerator<RawRow> {
  const ws = await openXlsxSheet(path, sheet);
  for await (const r of ws) {
      // row.values is 1-based and sparse: column A is [1]
      const values = r.values as unknown[];
      yield { row: r.number, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => values[i + 1]) };
    }
}

const DIMENSION = /<(?:\w+:)?dimension\s+ref="\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?(\d+))?"/;
const SHEET_DATA = /<(?:\w+:)?sheetData[\s>/]/;

/** The last row the sheet's <dimension ref="A1:M10001"> names, minus the header; it precedes <sheetData>. */
export async function xlsxDimensionRows(path: string, sheet: string | undefined): Promise<number | undefined> {
  const ws = await openXlsxSheet(path, sheet);
  if (!ws.iterator || typeof ws.iterator[Symbol.asyncIterator] !== 'function') return undefined;
  let head = '';
  for await (const chunk of ws.iterator) {
    head += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const m = DIMENSION.exec(head);
    if (m) return m[1] === undefined ? 0 : Math.max(0, Number(m[1]) - 1);
    if (SHEET_DATA.test(head) || head.length > 1 << 16) return undefined;
  }
  return undefined;
}
