import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { RegisterError } from './register-error.ts';

// One sheet of an .xlsx, its rows parsed as its XML is inflated, never the whole sheet at once.
//
// exceljs 4.4's streaming reader takes the zip in one pass in stored order, and exceljs writes xl/workbook.xml
// last: under load that pass can end without delivering it, and the reader then fails on the sheet names
// ("Cannot read properties of undefined (reading 'sheets')", exceljs #3064; it failed our CI once). So the
// archive is opened by its central directory instead, and exceljs's own parsers are fed the parts in the order
// they depend on each other: relationships and workbook (sheet names), shared strings, styles, then the one sheet.

/** What exceljs's streaming reader has but does not declare. */
export interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name?: string;
  /** the sheet XML's chunks, before the reader parses them */
  iterator?: AsyncIterable<Buffer | string>;
}
interface BookReader {
  model?: { sheets?: { name?: string; rId?: string }[] };
  workbookRels?: { Id?: string; Target?: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: SheetReader }>;
}

/** The sheet named `sheet` (case and outer spaces aside), or the workbook's first tab. */
export async function openXlsxSheet(path: string, sheet: string | undefined): Promise<SheetReader> {
  const file = basename(path);
  const parts = await centralDirectory(path);
  const part = (name: string): unzipper.File | undefined => parts.find((p) => p.path === name);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as BookReader;
  const rels = part('xl/_rels/workbook.xml.rels');
  const book = part('xl/workbook.xml');
  if (!rels || !book) throw new RegisterError(`${file}: not readable as an .xlsx workbook (it has no xl/workbook.xml)`);
  try {
    await reader._parseRels(rels.stream());
    await reader._parseWorkbook(book.stream());
    const strings = part('xl/sharedStrings.xml');
    // text is decoded across chunk boundaries: exceljs decodes each inflated chunk alone, and a Devanagari
    // character (three bytes) split between two becomes U+FFFD every 16 KB or so (exceljs #2084, #2316)
    if (strings) for await (const _ of reader._parseSharedStrings(textOf(strings.stream()))) void _;
    const styles = part('xl/styles.xml');
    if (styles) await reader._parseStyles(styles.stream());
  } catch (err) {
    throw new RegisterError(`${file}: not readable as an .xlsx workbook (${(err as Error).message})`);
  }

  const sheets = reader.model?.sheets ?? [];
  const wanted = sheet ?? sheets[0]?.name;
  if (wanted === undefined) throw new RegisterError(`${file}: the workbook has no sheet`);
  const tab = sheets.find((s) => (s.name ?? '').trim().toLowerCase() === wanted.trim().toLowerCase());
  const target = tab && reader.workbookRels?.find((r) => r.Id === tab.rId)?.Target;
  if (!target) {
    const names = sheets.map((s) => `"${s.name ?? ''}"`).join(', ') || 'none';
    throw new RegisterError(`${file}: no sheet named "${wanted}"; the sheets are ${names}`);
  }
  // a target is relative to xl/ ("worksheets/sheet2.xml") or absolute ("/xl/worksheets/sheet2.xml")
  const at = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const sheetNo = /sheet(\d+)\.xml$/.exec(at)?.[1];
  const entry = part(at);
  if (!entry || !sheetNo) throw new RegisterError(`${file}: sheet "${wanted}" is missing from the workbook (${at})`);
  for (const { eventType, value } of reader._parseWorksheet(textChunks(entry.stream()), sheetNo))
    if (eventType === 'worksheet') return value;
  throw new RegisterError(`${file}: sheet "${wanted}" could not be opened`);
}

async function centralDirectory(path: string): Promise<unzipper.File[]> {
  try {
    return (await unzipper.Open.file(path)).files;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new RegisterError(`${path}: no such file`);
    throw new RegisterError(`${basename(path)}: not readable as an .xlsx workbook (${code ?? (err as Error).message})`);
  }
}

/** exceljs's parsers take text as well as bytes: hand them text decoded across chunk boundaries. */
async function* textChunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** The same, as the stream the shared-strings parser expects (it iterates whatever it is given). */
function textOf(stream: Readable): Readable {
  stream.setEncoding('utf8');
  return stream;
}
