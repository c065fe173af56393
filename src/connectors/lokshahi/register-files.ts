import { open, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';

// Files → raw rows: a register's .csv or .xlsx read one row at a time, its cells as they are.

/** The file as a whole cannot be read (kind, sheet, headers, CSV syntax): nothing of it was taken. */
export class RegisterError extends Error {
  override readonly name = 'RegisterError';
}

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
export async function xlsxDimensionRows(path: string, sheet: string | undefined): Promise<number | undefined> {
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
