import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COLUMNS, FIELDS, REQUIRED_FIELDS, type Field } from '../../src/connectors/lokshahi/columns.ts';
import { applicationMessage } from '../../src/connectors/lokshahi/parse.ts';
import { CONVERT, CellProblem, plain, plainText } from '../../src/connectors/lokshahi/register-cells.ts';
import { RegisterError, readRegister, type RegisterRow } from '../../src/connectors/lokshahi/register.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { cleanText } from '../../src/normalizer/text.ts';
import { anyText, citizenText, digits, expectMessage, longRun, refusedOr, refusedOrAsync } from '../support/fuzz-inputs.ts';

// Fuzz runs of the Lokshahi Din register reader (`pmc-bridge import lokshahi`): a .csv or .xlsx an office typed,
// with any header spelling, title rows, and cells of any kind. A register it cannot read at all is a RegisterError
// before any row; a bad row is yielded with its error and reading goes on.

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'register-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(path: string): Promise<RegisterRow[]> {
  const rows: RegisterRow[] = [];
  for await (const r of readRegister(path, { columns: DEFAULT_COLUMNS })) rows.push(r);
  return rows;
}

/** each row one application, or one error that names what is wrong; rows in order; applications make messages */
function expectRows(rows: RegisterRow[]): void {
  rows.forEach((r, i) => {
    if (i > 0) expect(r.row).toBeGreaterThan(rows[i - 1]!.row);
    expect(r.application === undefined).not.toBe(r.error === undefined);
    if (r.error !== undefined) expect(r.error).not.toBe('');
    if (r.application) expectMessage(applicationMessage(r.application, { accountId: 'lokshahi-register', raw: r.application }), { text: 20_000 + 1 + 1000 });
  });
}

// a cell as an office types it: mostly of its column's kind, else anything
const CELLS: Record<Field, fc.Arbitrary<string>> = {
  token: fc.oneof(fc.constantFrom('LD/2026/0412', 'LD/२०२६/०४१३', '9.87654E+09'), digits(1, 6)),
  applicationDate: fc.constantFrom('05/03/2026', '०६/०३/२०२६', '2026-03-07', '29/02/2026', '32/13/2026', '5.3.2026 10:30 am', 'काल'),
  hearingDate: fc.constantFrom('07/04/2026', '', '2026-02-30'),
  'applicant.name': citizenText(3),
  'applicant.address': citizenText(8),
  'applicant.mobile': fc.constantFrom('9822012345', '+91 98220 12345', '९८२२०१२३४५', '020-2550-1000', '9.82201E+09', 'नाही'),
  'applicant.email': fc.constantFrom('sunita@example.org', '', 'not an address'),
  office: citizenText(3),
  subject: citizenText(5),
  description: citizenText(30),
  earlierToken: fc.constantFrom('', 'LD/2025/0099'),
  escalation: fc.constantFrom('होय', 'नाही', 'हाँ', 'yes', '✓', '-', 'कदाचित', ''),
  attachments: fc.constantFrom('फोटो.jpg; https://pmc.example.in/7-12.pdf', '', 'https://x.example/a\nदुसरा.pdf'),
};
const anyCell = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyText() }, { weight: 1, arbitrary: fc.constantFrom('"', '""', ',', '\n', '\r\n', '\uFEFF', '#error', '\uFFFD') });
const quoted = (cell: string): string => `"${cell.replace(/"/g, '""')}"`;

/** a register's header (the required columns, some others, in any order, under any of their names) and its rows */
const register = fc
  .tuple(fc.shuffledSubarray([...FIELDS], { minLength: FIELDS.length }), fc.subarray([...FIELDS]), fc.array(citizenText(4), { maxLength: 2 }))
  .chain(([order, some, titles]) => {
    const fields = order.filter((f) => REQUIRED_FIELDS.includes(f) || some.includes(f));
    const header = fc.tuple(...fields.map((f) => fc.constantFrom(...DEFAULT_COLUMNS[f]!)));
    const row = fc.tuple(...fields.map((f) => fc.tuple(CELLS[f], anyCell).map(([good, odd]) => odd ?? good)));
    return fc.record({ fields: fc.constant(fields), titles: fc.constant(titles), header, rows: fc.array(row, { maxLength: 8 }) });
  });

describe('readRegister on any CSV an office could save', () => {
  it('refuses the file only with RegisterError, and reads every other row as an application or an error', async () => {
    const csv = fc.oneof(
      { weight: 4, arbitrary: register.map((r) => [...r.titles, r.header.join(','), ...r.rows.map((row) => row.map(quoted).join(','))].join('\r\n')) },
      { weight: 1, arbitrary: fc.array(fc.oneof(anyText(), fc.constantFrom('टोकन क्रमांक,अर्जाचा दिनांक,अर्जदाराचे नाव,विषय,तक्रारीचा तपशील', '"', 'a,"b', '\r\n')), { maxLength: 12 }).map((l) => l.join('\n')) },
      { weight: 1, arbitrary: longRun(3000) },
    );
    let rowsRead = 0;
    await fc.assert(
      fc.asyncProperty(csv, async (content) => {
        const path = join(dir, `r${++n}.csv`);
        await writeFile(path, content, 'utf8');
        const rows = await refusedOrAsync(() => read(path), RegisterError);
        if (rows) expectRows(rows);
        rowsRead += rows?.length ?? 0;
      }),
      { numRuns: 100 },
    );
    expect(rowsRead).toBeGreaterThan(0);
  });

  it('keeps the words of the description column, whatever its header and place', async () => {
    await fc.assert(
      fc.asyncProperty(register, citizenText(40).filter((w) => w.trim() !== ''), async (r, words) => {
        const good = r.fields.map((f) => (f === 'description' ? words : f === 'token' ? 'LD/2026/0412' : f === 'applicationDate' ? '05/03/2026' : f === 'applicant.name' ? 'सुनीता जाधव' : f === 'subject' ? 'कचरा' : ''));
        const path = join(dir, `w${++n}.csv`);
        await writeFile(path, [r.header.join(','), good.map(quoted).join(',')].join('\n'), 'utf8');
        const [row] = await read(path);
        expect(row!.error).toBeUndefined();
        expect(row!.application!.description).toBe(words.trim());
        expect(normalize(applicationMessage(row!.application!, { accountId: 'lokshahi-register', raw: {} })).text).toBe(cleanText(words));
      }),
      { numRuns: 50 },
    );
  });
});

// what an .xlsx can hold: XML 1.0's characters (Excel writes a control character as _x0007_; exceljs writes it
// as it is, and no reader takes that XML)
const xmlText = (t: string): string => t.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

// exceljs's cell values: text, numbers, booleans, dates, rich text, formulas and their results, hyperlinks, errors
const xlsxCell: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
  citizenText(5),
  anyText(20).map(xmlText),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 99_999_999_999 }),
  fc.integer({ min: 32_000, max: 74_000 }),
  fc.boolean(),
  fc.date({ min: new Date('1900-03-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
  fc.array(citizenText(2), { minLength: 1, maxLength: 3 }).map((parts) => ({ richText: parts.map((text) => ({ text })) })),
  fc.oneof(citizenText(2), fc.integer()).map((result) => ({ formula: 'A1', result })),
  fc.constantFrom({ text: 'sunita@example.org', hyperlink: 'mailto:sunita@example.org' }, { error: '#N/A' }),
  fc.constant(null),
) as fc.Arbitrary<ExcelJS.CellValue>;

describe('readRegister on any .xlsx cell', () => {
  it('a cell of any kind becomes its field’s value or a CellProblem naming it', () => {
    // and dates no calendar has (exceljs reads a malformed date cell as an invalid Date)
    const cell = fc.oneof(xlsxCell, fc.date());
    fc.assert(
      fc.property(cell, fc.constantFrom(...FIELDS), (v, field) => {
        expect(typeof plainText(v)).toBe('string');
        refusedOr(() => CONVERT[field](plain(v)), CellProblem);
      }),
      { numRuns: 1000 },
    );
  });

  it('a workbook of such cells is read row by row, as the CSV is', async () => {
    const sheet = fc.tuple(register, fc.array(fc.array(xlsxCell, { maxLength: 13 }), { maxLength: 6 }));
    await fc.assert(
      fc.asyncProperty(sheet, async ([r, odd]) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('नोंदवही');
        for (const t of r.titles) ws.addRow([xmlText(t)]);
        ws.addRow(r.header);
        for (const row of r.rows) ws.addRow(row.map(xmlText));
        for (const row of odd) ws.addRow(row);
        const path = join(dir, `x${++n}.xlsx`);
        await wb.xlsx.writeFile(path);
        expectRows(await read(path));
      }),
      { numRuns: 10 },
    );
  });
});
